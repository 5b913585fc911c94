import ArgumentParser
import Foundation
import Guest
import Recorder
import Replayer
import Trace

/// rrdbg's own exit statuses, chosen to stay out of the way of the program's: shells use 126
/// and 127 for the same meanings, and 124/125 sit just below them.
enum ExitStatus {
    static let traceUnusable: Int32 = 124
    static let divergence: Int32 = 125
    static let cannotExecute: Int32 = 126
    static let notFound: Int32 = 127

    /// Prints `error` the way every rrdbg command reports failures and returns the exit status.
    static func report(_ error: Error) -> ExitCode {
        ConsoleOutput.message("rrdbg: \(error)\n")
        switch error {
        case ReplayError.diverged: return ExitCode(divergence)
        case is ReplayError, is TraceError, is TruncatedTrace, is TraceBundleError: return ExitCode(traceUnusable)
        case LaunchError.notFound: return ExitCode(notFound)
        case is LaunchError: return ExitCode(cannotExecute)
        default: return ExitCode.failure
        }
    }
}

/// Runs a command body and turns its errors into rrdbg's messages and exit statuses.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw ExitStatus.report(error)
    }
}
