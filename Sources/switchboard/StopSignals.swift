import Dispatch
import FoundationEssentials
import NCursesBackend

/// SIGTERM, SIGINT and SIGHUP end a long-running command cleanly (`events --follow`, `drill`): `stop` runs on a
/// dispatch queue instead of the process dying mid-line or mid-drill. Close the pipe when done.
enum StopSignals {
    static func install(_ stop: @escaping @Sendable () -> Void) -> SignalPipe? {
        SignalPipe(queue: .global()) { _ in stop() }
    }
}
