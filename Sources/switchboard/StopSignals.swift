import Dispatch
import Foundation

/// SIGTERM, SIGINT and SIGHUP end a long-running command cleanly (`events --follow`, `drill`): `stop` runs on a
/// dispatch queue instead of the process dying mid-line or mid-drill. Cancel the sources when done.
enum StopSignals {
    static func install(_ stop: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }
}
