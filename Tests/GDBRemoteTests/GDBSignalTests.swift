import GDBRemote
import XCTest

final class GDBSignalTests: XCTestCase {
    func testCommonSignals() {
        XCTAssertEqual(GDBSignal.fromLinux(0), 0)
        XCTAssertEqual(GDBSignal.fromLinux(2), 2)     // SIGINT
        XCTAssertEqual(GDBSignal.fromLinux(5), 5)     // SIGTRAP
        XCTAssertEqual(GDBSignal.fromLinux(6), 6)     // SIGABRT
        XCTAssertEqual(GDBSignal.fromLinux(7), 10)    // SIGBUS
        XCTAssertEqual(GDBSignal.fromLinux(9), 9)     // SIGKILL
        XCTAssertEqual(GDBSignal.fromLinux(10), 30)   // SIGUSR1
        XCTAssertEqual(GDBSignal.fromLinux(11), 11)   // SIGSEGV
        XCTAssertEqual(GDBSignal.fromLinux(12), 31)   // SIGUSR2
        XCTAssertEqual(GDBSignal.fromLinux(17), 20)   // SIGCHLD
        XCTAssertEqual(GDBSignal.fromLinux(19), 17)   // SIGSTOP
        XCTAssertEqual(GDBSignal.fromLinux(29), 23)   // SIGIO
        XCTAssertEqual(GDBSignal.fromLinux(31), 12)   // SIGSYS
    }

    func testRealTimeSignals() {
        XCTAssertEqual(GDBSignal.fromLinux(32), 77)
        XCTAssertEqual(GDBSignal.fromLinux(33), 45)
        XCTAssertEqual(GDBSignal.fromLinux(63), 75)
        XCTAssertEqual(GDBSignal.fromLinux(64), 78)
    }

    func testUnknownSignals() {
        XCTAssertEqual(GDBSignal.fromLinux(16), GDBSignal.unknown)   // SIGSTKFLT
        XCTAssertEqual(GDBSignal.fromLinux(-1), GDBSignal.unknown)
        XCTAssertEqual(GDBSignal.fromLinux(1000), GDBSignal.unknown)
        XCTAssertNil(GDBSignal.toLinux(GDBSignal.unknown))
        XCTAssertNil(GDBSignal.toLinux(7))    // SIGEMT
        XCTAssertNil(GDBSignal.toLinux(29))   // SIGLOST
        XCTAssertNil(GDBSignal.toLinux(76))   // SIGCANCEL
        XCTAssertNil(GDBSignal.toLinux(200))
    }

    func testRoundTripForEveryLinuxSignal() {
        for signal in Int32(0)...64 where signal != 16 {
            XCTAssertEqual(GDBSignal.toLinux(GDBSignal.fromLinux(signal)), signal, "signal \(signal)")
        }
    }
}
