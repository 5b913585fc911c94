// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "rrdbg",
    products: [
        .executable(name: "rrdbg", targets: ["rrdbg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // liblz4's frame API, from Debian's liblz4-dev.
        .systemLibrary(
            name: "CLZ4",
            path: "Sources/CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        // The few things Swift cannot call directly: variadic ptrace, wait macros,
        // the fork/exec child path, and the cpuid/rdtsc instructions.
        .target(name: "CGuestShim", path: "Sources/CGuestShim"),
        // libunwind's ptrace unwinder, from Debian's libunwind-dev, for backtraces of guest threads.
        .systemLibrary(
            name: "CUnwind",
            path: "Sources/CUnwind",
            pkgConfig: "libunwind-ptrace",
            providers: [.apt(["libunwind-dev"])]
        ),
        // libcrypto's SHA-256, from Debian's libssl-dev, which names archived files by content.
        .systemLibrary(
            name: "CCrypto",
            path: "Sources/CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // The Zydis x86 decoder, from Debian's libzydis-dev, for relocating instructions that
        // probes displace.
        .systemLibrary(name: "CZydis", path: "Sources/CZydis", providers: [.apt(["libzydis-dev"])]),
        // The POSIX layer: errno as a typed error, EINTR retried in one place, file descriptors,
        // child processes. The only caller of the C shim outside Guest.
        .target(name: "System", dependencies: ["CGuestShim"]),
        .target(name: "Trace", dependencies: ["CLZ4", "CCrypto", "System", "X86Registers"]),
        // The x86-64 syscall vocabulary: numbers and names, and each call's descriptor (how to
        // show it, what it writes, whether it blocks, how replay treats it). Plain data and
        // rules over guest memory read through a protocol; no ptrace, no other targets.
        .target(name: "Syscalls"),
        // ELF images and their `.eh_frame_hdr` unwind tables, parsed from bytes. No ptrace, no
        // guest: the parsing that both the probes' code maps and the unwinder need.
        .target(name: "ELF"),
        // The x86-64 general registers: their names in the kernel's `user_regs_struct` order
        // (which is also the trace's) and in machine code, and the eflags bits stepping sets.
        // Plain data, so that both Trace and Guest can name registers without importing each
        // other.
        .target(name: "X86Registers"),
        .target(name: "Guest", dependencies: ["System", "Syscalls", "ELF", "X86Registers", "CGuestShim", "CZydis"]),
        // Backtraces of a stopped guest's threads (libunwind over ptrace), their symbols
        // (addr2line) and the mutex wait-for graph: what a hang report adds on top of Guest.
        .target(name: "Unwind", dependencies: ["Guest", "Syscalls", "ELF", "System", "CUnwind"]),
        .target(name: "Recorder", dependencies: ["Guest", "Syscalls", "Trace", "System"]),
        .target(
            name: "Replayer",
            dependencies: [
                "Guest", "Syscalls", "Unwind", "Trace", "GDBRemote", "GDBServer", "System", "X86Registers",
            ]
        ),
        // The gdb remote serial protocol: framing, typed commands and replies. No ptrace here.
        .target(name: "GDBRemote"),
        // A gdb stub over any debug target and transport: the session, the target protocols it
        // serves and the TCP transport. No ptrace here either.
        .target(name: "GDBServer", dependencies: ["GDBRemote", "System"]),
        // Reports rendered from a trace-independent model, such as the HTML timeline, and the
        // adapter that builds that model from a trace's events.
        .target(
            name: "Reports",
            dependencies: ["Trace", "Syscalls"],
            resources: [.embedInCode("Resources/timeline.js"), .embedInCode("Resources/timeline.css")]
        ),
        .executableTarget(
            name: "rrdbg",
            dependencies: [
                "Recorder", "Replayer", "Trace", "Guest", "Syscalls", "Unwind", "Reports", "GDBServer", "System",
                "X86Registers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A seeded random generator shared by the fuzz tests, so failures reproduce.
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        // Guest memory made of a few chosen bytes, for tests of rules that read guest memory.
        .target(name: "FakeMemory", dependencies: ["Syscalls"], path: "Tests/FakeMemory"),
        // A headless Chromium driver shared by the tests that check rendered HTML pages.
        .target(name: "BrowserSupport", path: "Tests/BrowserSupport"),
        .testTarget(name: "TraceTests", dependencies: ["Trace", "System", "X86Registers", "SeededRandom"]),
        .testTarget(name: "SyscallsTests", dependencies: ["Syscalls", "FakeMemory"]),
        .testTarget(
            name: "GuestTests",
            dependencies: ["Guest", "Syscalls", "ELF", "X86Registers", "Unwind", "System", "FakeMemory"],
            exclude: ["Guests"]
        ),
        .testTarget(name: "GDBRemoteTests", dependencies: ["GDBRemote", "X86Registers", "SeededRandom"]),
        .testTarget(name: "GDBServerTests", dependencies: ["GDBServer", "GDBRemote"]),
        // The replay debugger's parts that need no guest, such as its breakpoint set.
        .testTarget(name: "ReplayerTests", dependencies: ["Replayer", "Guest", "Trace"]),
        // Reads Sources/ and checks every import against the layers in the README.
        .testTarget(name: "LayeringTests"),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Syscalls", "Trace", "X86Registers", "SeededRandom", "BrowserSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["rrdbg", "Trace", "X86Registers", "SeededRandom", "BrowserSupport"],
            exclude: ["Guests"]
        ),
    ]
)
