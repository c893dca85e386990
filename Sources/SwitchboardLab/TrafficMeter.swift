import SwitchboardCore
import Synchronization

/// What the users of a service see, second by second: every finished request of the traffic it is given to,
/// with its status and response time, counted in the second it finished (from the meter's start).
public final class TrafficMeter: Sendable {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let seconds = Mutex<[ServiceSecond]>([])

    /// Starts a meter; second 0 begins now.
    public init() { start = clock.now }

    /// The whole seconds since the meter started.
    public var elapsedSeconds: Int { Int((clock.now - start).components.seconds) }

    /// Records one finished request.
    public func record(status: Int, milliseconds: Double) {
        let index = elapsedSeconds
        seconds.withLock { seconds in
            while seconds.count <= index { seconds.append(ServiceSecond()) }
            seconds[index].add(status: status, milliseconds: milliseconds)
        }
    }

    /// Every second so far, including the current (still filling) one, padded with empty seconds to now.
    public var history: [ServiceSecond] {
        let now = elapsedSeconds
        return seconds.withLock { seconds in
            while seconds.count <= now { seconds.append(ServiceSecond()) }
            return seconds
        }
    }

    /// The finished seconds only (the current one is left out, it is still filling).
    public var completed: [ServiceSecond] { Array(history.dropLast()) }
}
