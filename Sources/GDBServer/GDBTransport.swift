/// The byte stream between gdb and a `GDBSession`.
///
/// The session only reads, writes and closes, so it can run over a TCP connection in rrdbg and
/// over an in-memory pipe in tests, where a script plays gdb's part without sockets or timing.
public protocol GDBTransport: AnyObject {
    /// The bytes that arrived since the last read. With `waiting`, blocks until some arrive;
    /// without it, returns an empty array at once when nothing is there. nil when the peer
    /// closed the connection.
    func read(waiting: Bool) throws -> [UInt8]?

    /// Writes all of `bytes`, or throws when the peer can no longer take them.
    func write(_ bytes: [UInt8]) throws

    /// Ends the connection. The session calls it once, when it ends.
    func close()
}
