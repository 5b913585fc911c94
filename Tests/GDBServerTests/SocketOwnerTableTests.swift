import GDBServer
import XCTest

final class SocketOwnerTableTests: XCTestCase {
    private let loopback: [UInt8] = [127, 0, 0, 1]

    func testFindsThePeerOfALoopbackConnectionInBothTables() {
        let tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0
               1: 0100007F:9C40 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0
               2: 0100007F:D431 0100007F:9C40 01 00000000:00000000 00:00000000 00000000 65534        0 1003 1 0
            """
        let tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0000000000000000FFFF00000100007F:D432 0000000000000000FFFF00000100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 1004 1 0
               1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1005 1 0
            """
        let table = SocketOwnerTable(contents: [tcp, tcp6])
        let server = SocketOwnerTable.Endpoint(address: loopback, port: 0x9C40)

        XCTAssertEqual(table.owner(local: .init(address: loopback, port: 0xD431), remote: server), 65534)
        XCTAssertEqual(table.owner(local: server, remote: .init(address: loopback, port: 0xD431)), 0, "rrdbg's own end")
        XCTAssertEqual(table.owner(local: .init(address: loopback, port: 0xD432), remote: server), 1000,
                       "a client on an IPv6 socket is listed with the IPv4-mapped address")
        XCTAssertEqual(table.owner(local: .init(address: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], port: 0x1F90),
                                   remote: .init(address: Array(repeating: 0, count: 16), port: 0)), 1000, "::1")
        XCTAssertNil(table.owner(local: .init(address: loopback, port: 0xD433), remote: server))
    }

    func testSkipsLinesThatDoNotParse() {
        let table = SocketOwnerTable(contents: ["header\n 0: nonsense\n 1: 0100007F:ZZZZ 0100007F:0001 01 0 0 0 5\n"])
        XCTAssertNil(table.owner(local: .init(address: loopback, port: 1), remote: .init(address: loopback, port: 1)))
    }
}
