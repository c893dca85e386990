import CTermGuard
import Dispatch
import FoundationEssentials
import Glibc

/// Stop signals (SIGTERM, SIGINT, SIGHUP) heard as bytes on a pipe, watched by a dispatch read source.
///
/// Several may be open at once (the demo's own stop flag and the console inside it): each hears every signal.
/// A dispatch signal source was not enough: it needs the signal ignored, and a second `signal(SIG_IGN)` for the
/// same signal left SIGTERM and SIGHUP discarded, so `kill` or a closed terminal never reached the console.
public final class SignalPipe {
    /// The signals watched.
    public let signals: [Int32]
    private let source: any DispatchSourceRead

    /// Watches `signals`, calling `handler` on `queue` with each one delivered; nil when no pipe could be made.
    public init?(
        signals: [Int32] = [SIGTERM, SIGINT, SIGHUP], queue: DispatchQueue,
        handler: @escaping @Sendable (Int32) -> Void
    ) {
        let readEnd = signals.withUnsafeBufferPointer { CTermGuard_signal_pipe($0.baseAddress, Int32($0.count)) }
        guard readEnd >= 0 else { return nil }
        self.signals = signals
        source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: queue)
        source.setEventHandler {
            var bytes = [UInt8](repeating: 0, count: 16)
            while true {
                let count = read(readEnd, &bytes, bytes.count)
                guard count > 0 else { break }
                for byte in bytes.prefix(count) { handler(Int32(byte)) }
            }
        }
        let signals = signals
        source.setCancelHandler {  // the fd is closed only once dispatch has let go of it
            signals.withUnsafeBufferPointer { CTermGuard_close_signal_pipe(readEnd, $0.baseAddress, Int32($0.count)) }
        }
        source.resume()
    }

    /// Stops watching; a signal no other pipe watches goes back to its default action.
    public func close() { source.cancel() }
}
