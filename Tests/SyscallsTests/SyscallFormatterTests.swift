import XCTest
@testable import Syscalls

/// `dump`'s strace-style lines, compared as exact strings.
final class SyscallFormatterTests: XCTestCase {
    private func line(_ name: String, _ arguments: [UInt64], strings: [Int: String] = [:], result: Int64?) -> String {
        let number = Syscall(named: name)?.rawValue ?? -1
        return SyscallFormatter.format(
            number: number, arguments: arguments, strings: strings.mapValues { Array($0.utf8) }, result: result
        )
    }

    private let atFDCWD = UInt64(bitPattern: -100)

    func testOpenatHidesTheModeWithoutOCreat() {
        XCTAssertEqual(
            line("openat", [atFDCWD, 0x5000, 0x80000, 0x7fff1234], strings: [1: "/etc/passwd"], result: 3),
            "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3"
        )
        XCTAssertEqual(
            line("openat", [atFDCWD, 0x5000, 0x241, 0o644], strings: [1: "out.txt"], result: 4),
            "openat(AT_FDCWD, \"out.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4"
        )
        XCTAssertEqual(
            line("open", [0x5000, 0x101002, 0], strings: [0: "log"], result: 5),
            "open(\"log\", O_RDWR|O_SYNC) = 5"
        )
    }

    func testErrorsShowNameAndDescription() {
        XCTAssertEqual(
            line("openat", [atFDCWD, 0x5000, 0], strings: [1: "/nonexistent"], result: -2),
            "openat(AT_FDCWD, \"/nonexistent\", O_RDONLY) = -1 ENOENT (No such file or directory)"
        )
        XCTAssertEqual(
            line("ioctl", [1, 0x5401, 0x7ffc0000], result: -25),
            "ioctl(1, TCGETS, 0x7ffc0000) = -1 ENOTTY (Inappropriate ioctl for device)"
        )
        XCTAssertEqual(
            line("nanosleep", [0x1000, 0x2000], result: -516),
            "nanosleep(0x1000, 0x2000) = ? ERESTART_RESTARTBLOCK (restarted through restart_syscall)"
        )
    }

    func testReadAndMmap() {
        XCTAssertEqual(line("read", [3, 0x7ffd1234, 4096], result: 832), "read(3, 0x7ffd1234, 4096) = 832")
        XCTAssertEqual(
            line("mmap", [0, 8192, 3, 0x22, UInt64(UInt32.max), 0], result: 0x7fff_f7fc_1000),
            "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fc1000"
        )
        XCTAssertEqual(
            line("mmap", [0x7f00_0000_0000, 4096, 5, 0x812, 3, 0x2000], result: 0x7f00_0000_0000),
            "mmap(0x7f0000000000, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x2000)"
                + " = 0x7f0000000000"
        )
        XCTAssertEqual(line("mprotect", [0x7000, 4096, 0], result: 0), "mprotect(0x7000, 4096, PROT_NONE) = 0")
        XCTAssertEqual(line("brk", [0], result: 0x5555_5555_9000), "brk(NULL) = 0x555555559000")
    }

    func testUnknownAndUndescribedCallsShowSixHexRegisters() {
        XCTAssertEqual(
            SyscallFormatter.format(number: 999, arguments: [1, 2, 0, 0xff, 5, 6], result: -38),
            "syscall_999(0x1, 0x2, 0, 0xff, 0x5, 0x6) = -1 ENOSYS (Function not implemented)"
        )
        XCTAssertEqual(
            line("mount", [0x1000, 0x2000, 0x3000, 0, 0, 0], result: -1),
            "mount(0x1000, 0x2000, 0x3000, 0, 0, 0) = -1 EPERM (Operation not permitted)"
        )
    }

    func testDecodedArguments() {
        XCTAssertEqual(line("lseek", [3, 0, 2], result: 1234), "lseek(3, 0, SEEK_END) = 1234")
        XCTAssertEqual(line("lseek", [3, UInt64(bitPattern: -16), 1], result: 8), "lseek(3, -16, SEEK_CUR) = 8")
        XCTAssertEqual(line("clock_gettime", [1, 0x7ffc0010], result: 0), "clock_gettime(CLOCK_MONOTONIC, 0x7ffc0010) = 0")
        XCTAssertEqual(line("access", [0x1000, 4 | 1], strings: [0: "/bin/ls"], result: 0),
                       "access(\"/bin/ls\", R_OK|X_OK) = 0")
        XCTAssertEqual(line("access", [0x1000, 0], strings: [0: "/x"], result: 0), "access(\"/x\", F_OK) = 0")
        XCTAssertEqual(line("kill", [1234, 15], result: 0), "kill(1234, SIGTERM) = 0")
        XCTAssertEqual(line("tgkill", [10, 10, 34], result: 0), "tgkill(10, 10, SIGRT_2) = 0")
        XCTAssertEqual(line("rt_sigaction", [11, 0x1000, 0, 8], result: 0), "rt_sigaction(SIGSEGV, 0x1000, NULL, 8) = 0")
        XCTAssertEqual(line("rt_sigprocmask", [2, 0x1000, 0x2000, 8], result: 0),
                       "rt_sigprocmask(SIG_SETMASK, 0x1000, 0x2000, 8) = 0")
        XCTAssertEqual(line("fcntl", [3, 1, 0], result: 1), "fcntl(3, F_GETFD, 0) = 1")
        XCTAssertEqual(line("ioctl", [1, 0x5413, 0x7ffc0000], result: 0), "ioctl(1, TIOCGWINSZ, 0x7ffc0000) = 0")
        XCTAssertEqual(line("ioctl", [1, 0xdead, 0], result: -25),
                       "ioctl(1, 0xdead, 0) = -1 ENOTTY (Inappropriate ioctl for device)")
        XCTAssertEqual(line("socket", [1, 0x80801, 0], result: 3), "socket(AF_UNIX, 0x80801, 0) = 3")
        XCTAssertEqual(line("madvise", [0x7000, 8192, 4], result: 0), "madvise(0x7000, 8192, MADV_DONTNEED) = 0")
        XCTAssertEqual(line("arch_prctl", [0x1002, 0x7ffff7d8a740], result: 0),
                       "arch_prctl(ARCH_SET_FS, 0x7ffff7d8a740) = 0")
        XCTAssertEqual(line("futex", [0x7000, 0x81, 0x7fffffff, 0, 0, 0], result: 0),
                       "futex(0x7000, FUTEX_WAKE_PRIVATE, 2147483647, NULL, NULL, 0) = 0")
        XCTAssertEqual(line("newfstatat", [3, 0x1000, 0x2000, 0x1000], strings: [1: ""], result: 0),
                       "newfstatat(3, \"\", 0x2000, AT_EMPTY_PATH) = 0")
        XCTAssertEqual(line("pipe2", [0x1000, 0x80800], result: 0), "pipe2(0x1000, O_NONBLOCK|O_CLOEXEC) = 0")
        XCTAssertEqual(line("prctl", [15, 0x1000, 0, 0, 0], result: 0), "prctl(PR_SET_NAME, 0x1000, 0, 0, 0) = 0")
        XCTAssertEqual(line("umask", [0o22], result: 0o22), "umask(022) = 022")
        XCTAssertEqual(line("mkdir", [0x1000, 0o755], strings: [0: "d"], result: 0), "mkdir(\"d\", 0755) = 0")
        XCTAssertEqual(line("getpid", [], result: 4242), "getpid() = 4242")
        XCTAssertEqual(line("exit_group", [0], result: nil), "exit_group(0) = ?")
    }

    func testAStringArgumentWithoutACapturedStringShowsItsAddress() {
        XCTAssertEqual(line("chdir", [0x1000], result: 0), "chdir(0x1000) = 0")
        XCTAssertEqual(line("utimensat", [3, 0, 0, 0], result: 0), "utimensat(3, NULL, NULL, 0) = 0")
    }

    func testStringEscaping() {
        XCTAssertEqual(SyscallFormatter.quoted(Array("a\"b\\c\n\t".utf8)), "\"a\\\"b\\\\c\\n\\t\"")
        XCTAssertEqual(SyscallFormatter.quoted([0x01, 0x41]), "\"\\1A\"")
        XCTAssertEqual(SyscallFormatter.quoted([0x00, 0x31]), "\"\\0001\"")
        XCTAssertEqual(SyscallFormatter.quoted([0x7f, 0xff]), "\"\\177\\377\"")
        XCTAssertEqual(SyscallFormatter.quoted(Array("é".utf8)), "\"\\303\\251\"")
    }

    func testLongStringsAreCutAt64Bytes() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 100)
        XCTAssertEqual(SyscallFormatter.quoted(long), "\"" + String(repeating: "x", count: 64) + "\"...")
        let exact = [UInt8](repeating: UInt8(ascii: "y"), count: 64)
        XCTAssertEqual(SyscallFormatter.quoted(exact), "\"" + String(repeating: "y", count: 64) + "\"")
    }

    func testPrintableTextIsKeptAndAnythingElseIsQuotedWhole() {
        XCTAssertEqual(SyscallFormatter.printable("ls -l \"a b\""), "ls -l \"a b\"")
        XCTAssertEqual(SyscallFormatter.printable("\u{1b}[2J"), "\"\\33[2J\"")
        let long = String(repeating: "x", count: 100) + "\n"
        XCTAssertEqual(SyscallFormatter.printable(long), "\"" + String(repeating: "x", count: 100) + "\\n\"")
        XCTAssertEqual(SyscallFormatter.printable("é"), "\"\\303\\251\"")
    }
}
