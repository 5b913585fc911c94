import SeededRandom
import GDBRemote
import XCTest

final class ThreadIDTests: XCTestCase {
    func testMultiprocessForm() {
        XCTAssertEqual(ThreadID(parsing: "p1a2b.1a2c"), ThreadID(pid: 0x1a2b, tid: 0x1a2c))
        XCTAssertEqual(ThreadID(parsing: "p-1.-1"), .all)
        XCTAssertEqual(ThreadID(parsing: "p0.0"), .any)
        XCTAssertEqual(ThreadID(parsing: "p1.-1"), ThreadID(process: .id(1), thread: .all))
        XCTAssertEqual(ThreadID(parsing: "pAB.CD"), ThreadID(pid: 0xab, tid: 0xcd))
    }

    func testProcessOnlyMeansAllItsThreads() {
        XCTAssertEqual(ThreadID(parsing: "p1a2b"), ThreadID(process: .id(0x1a2b), thread: .all))
    }

    func testPlainForm() {
        XCTAssertEqual(ThreadID(parsing: "1a2b"), ThreadID(process: nil, thread: .id(0x1a2b)))
        XCTAssertEqual(ThreadID(parsing: "-1"), ThreadID(process: nil, thread: .all))
        XCTAssertEqual(ThreadID(parsing: "0"), ThreadID(process: nil, thread: .any))
    }

    func testRejectsGarbage() {
        for text in ["", "p", "p.", "p1.", "p.1", "q1", "-2", "1.2", "p1.2.3", "p1.x", "-", "p--1.1", "p1.-1x"] {
            XCTAssertNil(ThreadID(parsing: text), text)
        }
    }

    func testDescription() {
        XCTAssertEqual(ThreadID(pid: 1234, tid: 1234).description, "p4d2.4d2")
        XCTAssertEqual(ThreadID(pid: 0x1a2b, tid: 0x1a2c).description, "p1a2b.1a2c")
        XCTAssertEqual(ThreadID.all.description, "p-1.-1")
        XCTAssertEqual(ThreadID.any.description, "p0.0")
        XCTAssertEqual(ThreadID(process: nil, thread: .id(0x10)).description, "10")
        XCTAssertEqual(text(ThreadID(pid: 1, tid: 2).bytes), "p1.2")
    }

    func testRoundTrips() {
        var generator = SeededGenerator(seed: 3)
        let selectors: [ThreadID.Selector] = [.all, .any, .id(1), .id(0xffff_ffff), .id(UInt64.max)]
        for _ in 0..<500 {
            let process: ThreadID.Selector? = generator.next() % 4 == 0 ? nil : selectors[Int(generator.next() % 5)]
            let thread = selectors[Int(generator.next() % 5)]
            let id = ThreadID(process: process, thread: thread)
            XCTAssertEqual(ThreadID(parsing: id.description), id)
        }
    }
}
