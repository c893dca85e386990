import FoundationEssentials
import SwitchboardCore

/// What successive snapshots tell that one cannot: 5xx per second, and the recent history of rate,
/// sessions, 5xx/s and queue for sparklines and the detail pane's graphs.
///
/// Bounded and compact (``SeriesTable``: 32-bit values in rings, one slot per key): ``historyLength`` samples
/// (5 minutes at a 1 s refresh) of every series for frontends, backends and — up to ``largeBalancer`` servers —
/// servers; above that, ``largeHistoryLength`` samples of each server's rate only, so 10,000 servers keep
/// 2.4 MB of history.
public struct Metrics: Hashable, Sendable {
    /// Samples kept per series (5 minutes at 1 s).
    public static let historyLength = 300
    /// Samples kept for the rate of each server above ``largeBalancer`` servers.
    public static let largeHistoryLength = 60
    /// Servers above which histories are shortened.
    public static let largeBalancer = 2_000

    /// What a figure belongs to: a frontend, a backend or a server.
    public enum Key: Hashable, Sendable {
        /// A frontend, by name.
        case frontend(String)
        /// A backend, by name.
        case backend(String)
        /// A server.
        case server(ServerID)
    }

    /// The other series of a server or backend: sessions, 5xx per second, queue.
    public struct Series: Hashable, Sendable {
        /// Current sessions.
        public var sessions: [Int] = []
        /// 5xx per second (rounded up).
        public var errors: [Int] = []
        /// Queue length.
        public var queue: [Int] = []
    }

    /// Rate, sessions, 5xx/s and queue of frontends, backends and (small balancers) servers.
    private var followed = SeriesTable(capacity: Metrics.historyLength, series: 4)
    /// Rate of each server of a large balancer.
    private var bulk = SeriesTable(capacity: Metrics.largeHistoryLength, series: 1)
    private var lastTime: Date?

    /// Makes empty metrics.
    public init() {}

    /// 5xx per second of a server or backend (0 when unknown).
    public func errorRate(_ key: Key) -> Double {
        followed.slot(key) != nil ? followed.errorRate(key) : bulk.errorRate(key)
    }

    /// Recent `rate` samples of a frontend, backend or server, oldest first (empty when unknown).
    public func rateHistory(_ key: Key) -> [Int] {
        followed.slot(key) != nil ? followed.history(key, series: 0) : bulk.history(key)
    }

    /// Sessions, 5xx/s and queue history (not kept for the servers of a balancer above ``largeBalancer``).
    public func series(_ key: Key) -> Series? {
        guard followed.slot(key) != nil else { return nil }
        return Series(
            sessions: followed.history(key, series: 1), errors: followed.history(key, series: 2),
            queue: followed.history(key, series: 3))
    }

    /// 5xx per second by backend name, as the event detector reads them (backends with none left out).
    public var backendErrorRates: [String: Double] {
        var rates: [String: Double] = [:]
        for (slot, key) in followed.layout.enumerated() {
            if case .backend(let name) = key, followed.errorRates[slot] > 0 { rates[name] = followed.errorRates[slot] }
        }
        return rates
    }

    /// Folds in a new snapshot taken at `time`: one pass in snapshot order, no hashing when the balancer's
    /// backends and servers are those of the last refresh. Without `servers`, only frontends and backends are
    /// followed (a fleet's balancers out of focus: their servers' history starts when one is focused).
    public mutating func record(_ snapshot: BalancerSnapshot, at time: Date, servers: Bool = true) {
        let elapsed = lastTime.map { time.timeIntervalSince($0) } ?? 0
        let serverCount = snapshot.backends.reduce(0) { $0 + $1.servers.count }
        let large = serverCount > Self.largeBalancer
        var main: [SeriesTable.Sample] = []
        main.reserveCapacity(snapshot.frontends.count + snapshot.backends.count + (large ? 0 : serverCount))
        var rest: [SeriesTable.Sample] = []
        if large && servers { rest.reserveCapacity(serverCount) }
        for frontend in snapshot.frontends {
            main.append(
                .init(
                    key: .frontend(frontend.name), errors: frontend.http5xx,
                    values: (frontend.rate, frontend.sessions, 0, 0)))
        }
        // The 5xx/s series is the rate computed at this step, so it is filled in after the step is recorded.
        for backend in snapshot.backends {
            main.append(
                .init(
                    key: .backend(backend.name), errors: backend.http5xx,
                    values: (backend.rate, backend.sessions, 0, backend.queue)))
            guard servers else { continue }
            // Read in place: copying each server out of the array would retain and release all its strings.
            backend.servers.withUnsafeBufferPointer { servers in
                for index in servers.indices {
                    let sample = SeriesTable.Sample(
                        key: .server(ServerID(backend: servers[index].backend, name: servers[index].name)),
                        errors: servers[index].http5xx,
                        values: (servers[index].rate, servers[index].sessions, 0, servers[index].queue))
                    if large { rest.append(sample) } else { main.append(sample) }
                }
            }
        }
        followed.record(main, elapsed: elapsed)
        followed.storeErrorRates(inSeries: 2)
        bulk.record(rest, elapsed: elapsed)
        lastTime = time
    }
}
