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
        // The Zydis x86 decoder, from Debian's libzydis-dev, for relocating instructions that
        // probes displace.
        .systemLibrary(name: "CZydis", path: "Sources/CZydis", providers: [.apt(["libzydis-dev"])]),
        .target(name: "Trace", dependencies: ["CLZ4"]),
        // The x86-64 syscall vocabulary: numbers and names, and each call's descriptor (how to
        // show it, what it writes, whether it blocks, how replay treats it). Plain data and
        // rules over guest memory read through a protocol; no ptrace, no other targets.
        .target(name: "Syscalls"),
        .target(name: "Guest", dependencies: ["Syscalls", "CGuestShim", "CUnwind", "CZydis"]),
        .target(name: "Recorder", dependencies: ["Guest", "Syscalls", "Trace"]),
        .target(name: "Replayer", dependencies: ["Guest", "Syscalls", "Trace", "GDBRemote"]),
        // The gdb remote serial protocol: framing, typed commands and replies. No ptrace here.
        .target(name: "GDBRemote"),
        // Reports rendered from a trace-independent model, such as the HTML timeline, and the
        // adapter that builds that model from a trace's events.
        .target(name: "Reports", dependencies: ["Trace", "Syscalls"]),
        .executableTarget(
            name: "rrdbg",
            dependencies: [
                "Recorder", "Replayer", "Trace", "Guest", "Syscalls", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A seeded random generator shared by the fuzz tests, so failures reproduce.
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        // Guest memory made of a few chosen bytes, for tests of rules that read guest memory.
        .target(name: "FakeMemory", dependencies: ["Syscalls"], path: "Tests/FakeMemory"),
        // A headless Chromium driver shared by the tests that check rendered HTML pages.
        .target(name: "BrowserSupport", path: "Tests/BrowserSupport"),
        .testTarget(name: "TraceTests", dependencies: ["Trace", "SeededRandom"]),
        .testTarget(name: "SyscallsTests", dependencies: ["Syscalls", "FakeMemory"]),
        .testTarget(name: "GuestTests", dependencies: ["Guest", "Syscalls", "FakeMemory"], exclude: ["Guests"]),
        .testTarget(name: "GDBRemoteTests", dependencies: ["GDBRemote", "SeededRandom"]),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Syscalls", "Trace", "SeededRandom", "BrowserSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["rrdbg", "Trace", "SeededRandom", "BrowserSupport"],
            exclude: ["Guests"]
        ),
    ]
)
