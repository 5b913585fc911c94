import GDBRemote
import XCTest

final class ConnectionCommandTests: XCTestCase {
    /// The exact string gdb 13.1 sends (PLATFORM-NOTES).
    func testQSupportedFromGDB13() {
        let packet = "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;"
            + "exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386"
        guard case .querySupported(let features) = parse(packet) else {
            return XCTFail("not qSupported: \(parse(packet))")
        }
        XCTAssertEqual(features.count, 12)
        XCTAssertEqual(features.first, "multiprocess+")
        XCTAssertEqual(features.last, "xmlRegisters=i386")
        let client = ClientFeatures(features)
        XCTAssertTrue(client.supports("swbreak"))
        XCTAssertTrue(client.supports("multiprocess"))
        XCTAssertFalse(client.supports("ReverseContinue"))
        XCTAssertEqual(client.value(of: "xmlRegisters"), "i386")
        XCTAssertNil(client.value(of: "PacketSize"))
    }

    func testQSupportedWithoutFeatures() {
        XCTAssertEqual(parse("qSupported"), .querySupported([]))
    }

    func testSimplePackets() {
        XCTAssertEqual(parse("QStartNoAckMode"), .startNoAckMode)
        XCTAssertEqual(parse("?"), .haltReason)
        XCTAssertEqual(parse("!"), .extendedMode)
        XCTAssertEqual(parse("vMustReplyEmpty"), .mustReplyEmpty)
    }

    func testTrailingJunkOnFixedPacketsIsUnknown() {
        XCTAssertTrue(isUnknown(parse("?x")))
        XCTAssertTrue(isUnknown(parse("!!")))
        XCTAssertTrue(isUnknown(parse("QStartNoAckModeX")))
    }

    func testEmptyPayloadIsUnknown() {
        XCTAssertEqual(GDBCommand.parse([]), .unknown(""))
    }

    func testSettings() {
        XCTAssertEqual(parse("QThreadEvents:1"), .setting(.threadEvents(true)))
        XCTAssertEqual(parse("QNonStop:0"), .setting(.nonStop(false)))
        XCTAssertEqual(parse("QDisableRandomization:1"), .setting(.disableRandomization(true)))
        XCTAssertEqual(parse("QPassSignals:e;14;1c;21;"), .setting(.passSignals([0x0e, 0x14, 0x1c, 0x21])))
        XCTAssertEqual(parse("QPassSignals:"), .setting(.passSignals([])))
        XCTAssertEqual(parse("QProgramSignals:0;1;3;4;6"), .setting(.programSignals([0, 1, 3, 4, 6])))
        XCTAssertEqual(parse("QEnvironmentHexEncoded:413d31"), .setting(.environmentSet("A=1")))
        XCTAssertEqual(parse("QEnvironmentUnset:41"), .setting(.environmentUnset("A")))
        XCTAssertEqual(parse("QEnvironmentReset"), .setting(.environmentReset))
        XCTAssertEqual(parse("QSetWorkingDir:2f746d70"), .setting(.workingDirectory("/tmp")))
        XCTAssertEqual(parse("QSetWorkingDir:"), .setting(.workingDirectory(nil)))
    }

    func testMalformedSettings() {
        XCTAssertTrue(isMalformed(parse("QThreadEvents:2")))
        XCTAssertTrue(isMalformed(parse("QNonStop:")))
        XCTAssertTrue(isMalformed(parse("QPassSignals:zz")))
        XCTAssertTrue(isMalformed(parse("QPassSignals:100")))
        XCTAssertTrue(isMalformed(parse("QSetWorkingDir:2f7")))
    }

    func testUnknownSettings() {
        XCTAssertEqual(parse("QCatchSyscalls:1"), .unknown("QCatchSyscalls:1"))
        XCTAssertTrue(isUnknown(parse("QAllow:WriteReg:1")))
    }

    func testConventionalSettingReplies() {
        for setting: GDBSetting in [.passSignals([1]), .programSignals([]), .disableRandomization(true), .workingDirectory("/")] {
            XCTAssertEqual(setting.conventionalReply, GDBReply.ok, "\(setting)")
        }
        for setting: GDBSetting in [.threadEvents(true), .nonStop(true), .environmentSet("A=1"), .environmentUnset("A"), .environmentReset] {
            XCTAssertEqual(setting.conventionalReply, GDBReply.empty, "\(setting)")
        }
    }
}
