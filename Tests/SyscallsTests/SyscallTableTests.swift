import XCTest
@testable import Syscalls

/// The table as a whole: one descriptor per call, argument counts the ABI allows, the calls
/// programs need, and what replay does with each.
final class SyscallTableTests: XCTestCase {
    func testNoNumberIsDescribedTwice() {
        var seen: Set<Int> = []
        for descriptor in SyscallTable.groups.joined() {
            XCTAssertTrue(seen.insert(descriptor.number).inserted, "\(descriptor.name) is described twice")
        }
        XCTAssertEqual(SyscallTable.allDescriptors.count, seen.count)
    }

    func testArgumentCountsFitTheABI() {
        for descriptor in SyscallTable.allDescriptors {
            XCTAssertLessThanOrEqual(descriptor.arguments.count, 6, descriptor.name)
            XCTAssertEqual(SyscallTable.argumentCount(of: descriptor.number), descriptor.arguments.count)
        }
        XCTAssertEqual(SyscallTable.argumentCount(of: Syscall.read.rawValue), 3)
        XCTAssertEqual(SyscallTable.argumentCount(of: Syscall.mmap.rawValue), 6)
        XCTAssertEqual(SyscallTable.argumentCount(of: Syscall.getpid.rawValue), 0)
        XCTAssertEqual(SyscallTable.argumentCount(of: 999), 6)
    }

    func testRequiredCallsAreDescribed() {
        let required = """
            read write pread64 pwrite64 readv writev preadv pwritev preadv2 pwritev2 open openat openat2
            close close_range stat fstat lstat newfstatat statx statfs fstatfs lseek getdents64 getdents
            readlink readlinkat access faccessat faccessat2 getcwd chdir fchdir fcntl ioctl dup dup2 dup3
            pipe pipe2 mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat symlink
            symlinkat chmod fchmod fchmodat chown fchown fchownat lchown umask truncate ftruncate fsync
            fdatasync flock utimensat getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr
            sendfile copy_file_range fadvise64 fallocate memfd_create eventfd2 inotify_init1 mmap munmap
            mprotect mremap brk madvise mlock munlock msync mincore clock_gettime clock_getres
            gettimeofday time nanosleep clock_nanosleep times getrusage getrandom getpid getppid gettid
            getuid geteuid getgid getegid getgroups getresuid getresgid getpgrp getpgid getsid setpgid
            setsid uname sysinfo prlimit64 getrlimit setrlimit getpriority setpriority sched_getaffinity
            sched_yield sched_getparam sched_getscheduler getcpu personality rt_sigaction rt_sigprocmask
            rt_sigpending rt_sigreturn sigaltstack kill tgkill tkill rt_sigtimedwait rt_sigsuspend pause
            arch_prctl set_tid_address set_robust_list get_robust_list prctl rseq poll ppoll select
            pselect6 epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2 socket
            socketpair connect bind listen accept accept4 sendto recvfrom sendmsg recvmsg sendmmsg
            recvmmsg getsockopt setsockopt getsockname getpeername shutdown exit exit_group wait4 waitid
            clone clone3 fork vfork execve execveat futex membarrier alarm setitimer getitimer
            timerfd_create timerfd_settime timerfd_gettime signalfd4 inotify_add_watch
            """
        for name in required.split(whereSeparator: \.isWhitespace) {
            guard let call = Syscall(named: String(name)) else {
                XCTFail("\(name) has no number")
                continue
            }
            XCTAssertNotNil(SyscallTable.descriptor(for: call), "\(name) has no descriptor")
        }
    }

    func testReplayActions() {
        func action(_ name: String) -> ReplayAction? {
            Syscall(named: name).flatMap { SyscallTable.descriptor(for: $0) }?.replay
        }
        XCTAssertEqual(action("read"), .emulate)
        XCTAssertEqual(action("mmap"), .mapMemory)
        for name in ["munmap", "mprotect", "mremap", "brk", "madvise", "mlock", "munlock", "msync",
                     "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "arch_prctl",
                     "set_robust_list"] {
            XCTAssertEqual(action(name), .execute, name)
        }
        XCTAssertEqual(action("set_tid_address"), .executeForcingResult)
        XCTAssertEqual(action("exit"), .exit)
        XCTAssertEqual(action("exit_group"), .exit)
        XCTAssertEqual(action("rseq"), .emulate)
        XCTAssertEqual(action("clone3"), .emulate, "the recorder answers it with ENOSYS")
        for name in ["clone", "fork", "vfork"] {
            XCTAssertEqual(action(name), .createTask, name)
        }
        XCTAssertEqual(action("execve"), .replaceImage)
        XCTAssertEqual(action("execveat"), .replaceImage)
        XCTAssertEqual(action("rt_sigsuspend"), .execute, "it installs the mask its signal arrives under")
    }
}
