/// gdb's own signal numbering, which the remote protocol uses everywhere: in `T`/`S`/`X` stop
/// replies, in `C`/`S`/`vCont;C` resume packets and in `QPassSignals`.
///
/// The numbers agree with Linux only up to SIGTERM except for SIGBUS and SIGUSR1/2; from there
/// they follow an old BSD/SVR4 table (SIGUSR1 is 30, SIGCHLD 20, real-time signals start at 45).
/// Sending a Linux number unconverted makes gdb report the wrong signal, so the stub converts at
/// the protocol boundary with these two functions.
public enum GDBSignal {
    /// gdb's "unknown signal", used for Linux signals it has no name for (SIGSTKFLT).
    public static let unknown: UInt8 = 143

    /// Linux 1...31 in order; index 0 is "no signal".
    private static let fromLinuxTable: [UInt8] = [
        0,
        1, 2, 3, 4, 5, 6, 10, 8, 9, 30,          // HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1
        11, 31, 13, 14, 15, unknown, 20, 19,    // SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT
        17, 18, 21, 22, 16, 24, 25, 26,         // STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM
        27, 28, 23, 32, 12,                     // PROF WINCH IO PWR SYS
    ]

    /// The gdb number for a Linux signal number; `unknown` for numbers gdb cannot express.
    public static func fromLinux(_ signal: Int32) -> UInt8 {
        switch signal {
        case 0..<32:
            return fromLinuxTable[Int(signal)]
        case 32:
            return 77
        case 33...63:
            return UInt8(signal - 33 + 45)
        case 64...127:
            return UInt8(signal - 64 + 78)
        default:
            return unknown
        }
    }

    /// The Linux number for a gdb signal number, or nil if Linux has no such signal.
    public static func toLinux(_ signal: UInt8) -> Int32? {
        switch signal {
        case 45...75:
            return Int32(signal) - 45 + 33
        case 77:
            return 32
        case 78...141:
            return Int32(signal) - 78 + 64
        default:
            guard signal != unknown, let index = fromLinuxTable.firstIndex(of: signal) else {
                return nil
            }
            return Int32(index)
        }
    }
}
