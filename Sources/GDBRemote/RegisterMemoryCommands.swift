/// Parsing for the register packets (`g`, `G`, `p`, `P`) and memory packets (`m`, `M`, `X`).
extension GDBCommand {
    /// Register numbers are small; anything larger than this is a corrupt packet, not a
    /// register the stub should look up.
    static let largestRegisterNumber = 0xffff

    static func parseRegisters(_ kind: UInt8, _ arguments: PacketSlice, packet: PacketSlice) -> GDBCommand {
        switch kind {
        case UInt8(ascii: "g"):
            return arguments.isEmpty ? .readRegisters : .unknown(packet.text)
        case UInt8(ascii: "G"):
            guard let values = HexCoding.decode(arguments) else {
                return .malformed("G: register data is not hex")
            }
            return .writeRegisters(values)
        case UInt8(ascii: "p"):
            guard let number = registerNumber(arguments) else {
                return .malformed("p: bad register number")
            }
            return .readRegister(number)
        default:
            guard let (numberText, valueText) = arguments.splitOnce(at: "="),
                  let number = registerNumber(numberText)
            else { return .malformed("P: expected n=value") }
            guard let value = HexCoding.decode(valueText) else {
                return .malformed("P: register value is not hex")
            }
            return .writeRegister(number, value)
        }
    }

    private static func registerNumber(_ text: PacketSlice) -> Int? {
        guard let number = text.hexInt, number <= largestRegisterNumber else { return nil }
        return number
    }

    /// `m addr,len`, `M addr,len:hex`, `X addr,len:binary`. For the writes the declared length
    /// must match the data: a mismatch means the packet was damaged or misparsed, and writing a
    /// partial buffer into the replayed process would be worse than refusing.
    static func parseMemory(_ kind: UInt8, _ arguments: PacketSlice) -> GDBCommand {
        let name = String(decoding: [kind], as: UTF8.self)
        guard kind != UInt8(ascii: "m") else {
            guard let (address, length) = addressAndLength(arguments) else {
                return .malformed("m: expected addr,length")
            }
            return .readMemory(address: address, length: length)
        }
        guard let (range, dataText) = arguments.splitOnce(at: ":"),
              let (address, length) = addressAndLength(range)
        else { return .malformed("\(name): expected addr,length:data") }
        let data: [UInt8]
        if kind == UInt8(ascii: "M") {
            guard let decoded = HexCoding.decode(dataText) else {
                return .malformed("M: data is not hex")
            }
            data = decoded
        } else {
            data = Array(dataText)
        }
        guard data.count == length else {
            return .malformed("\(name): length \(length) but \(data.count) data bytes")
        }
        return .writeMemory(address: address, data: data)
    }

    /// `addr,len` as used by the memory packets.
    static func addressAndLength(_ text: PacketSlice) -> (UInt64, Int)? {
        guard let (addressText, lengthText) = text.splitOnce(at: ","),
              let address = addressText.hexNumber,
              let length = lengthText.hexInt
        else { return nil }
        return (address, length)
    }
}
