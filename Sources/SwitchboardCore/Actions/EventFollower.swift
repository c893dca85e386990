import FoundationEssentials

/// Follows one balancer read after read and says what happened: the console's event rules (``EventDetector``), the
/// backends' 5xx per second from their counters, and the balancer itself going away and coming back — what a
/// monitoring pipeline reading `switchboard events --follow` needs, one event at a time.
public struct EventFollower: Sendable {
    /// The label events carry (the balancer's name when several are followed; nil for one).
    public var balancer: String?
    private var detector: EventDetector
    private var previous: BalancerSnapshot?
    private var previousAt: Date?
    private var unreachableSince: Date?

    /// Makes a follower; `errorRateThreshold` is 5xx per second per backend.
    public init(balancer: String? = nil, errorRateThreshold: Double = 5) {
        self.balancer = balancer
        detector = EventDetector(errorRateThreshold: errorRateThreshold)
    }

    /// The events of a new read at `time` (none for the first).
    public mutating func read(_ snapshot: BalancerSnapshot, at time: Date) -> [BalancerEvent] {
        var events: [BalancerEvent] = []
        if let since = unreachableSince {
            events.append(
                .init(
                    time: time, severity: .info, kind: .balancerReachable, backend: "",
                    message: "balancer answering again after \(Int(time.timeIntervalSince(since).rounded())) s"))
            unreachableSince = nil
        }
        var rates: [String: Double] = [:]
        if let previous, let previousAt, time > previousAt {
            let elapsed = time.timeIntervalSince(previousAt)
            for backend in snapshot.backends {
                guard let before = previous.backend(named: backend.name), backend.http5xx > before.http5xx else {
                    continue
                }
                rates[backend.name] = Double(backend.http5xx - before.http5xx) / elapsed
            }
        }
        events += detector.detect(previous: previous, current: snapshot, at: time, errorRates: rates)
        previous = snapshot
        previousAt = time
        return events.map { event in
            var labelled = event
            labelled.balancer = balancer
            return labelled
        }
    }

    /// A read that failed at `time`: one event when the balancer stops answering, none while it stays away.
    public mutating func failed(_ error: SwitchboardError, at time: Date) -> [BalancerEvent] {
        guard unreachableSince == nil else { return [] }
        unreachableSince = time
        var event = BalancerEvent(
            time: time, severity: .critical, kind: .balancerUnreachable, backend: "",
            message: "balancer not answering: \(error.message)")
        event.balancer = balancer
        return [event]
    }
}
