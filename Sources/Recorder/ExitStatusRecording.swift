import Guest
import Trace

extension ExitEvent.Status {
    /// How a guest process ended, as the trace records it.
    init(_ exit: GuestExit) {
        switch exit {
        case .exited(let code): self = .exited(code)
        case .killed(let signal, let core): self = .killed(signal: signal, coreDumped: core)
        }
    }
}
