import Foundation
import SwitchboardCore

/// What successive snapshots tell that one cannot: 5xx per second, and the recent history of rate,
/// sessions, 5xx/s and queue for sparklines and the detail pane's graphs.
///
/// Bounded: ``historyLength`` samples (5 minutes at a 1 s refresh) per series; above
/// ``largeBalancer`` servers only ``largeHistoryLength`` samples of rate, so 10,000 servers stay
/// within the memory budget.
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

    /// Sessions, 5xx/s and queue history, by server id or backend name (not kept above ``largeBalancer``).
    public private(set) var series: [Metrics.Key: Series] = [:]

    /// 5xx responses per second, by server id or backend name.
    public private(set) var errorRates: [Metrics.Key: Double] = [:]
    /// Recent `rate` samples, oldest first, by server id or backend name (up to twice the history length: read
    /// the last ``historyLength``).
    public private(set) var rateHistory: [Metrics.Key: [Int]] = [:]
    private var lastCounters: [Metrics.Key: Int] = [:]
    private var lastTime: Date?

    /// Makes empty metrics.
    public init() {}

    /// 5xx per second of a server or backend (0 when unknown).
    public func errorRate(_ key: Key) -> Double { errorRates[key] ?? 0 }

    /// 5xx per second by backend name, as the event detector reads them.
    public var backendErrorRates: [String: Double] {
        var rates: [String: Double] = [:]
        for case (.backend(let name), let rate) in errorRates { rates[name] = rate }
        return rates
    }

    /// Folds in a new snapshot taken at `time`. Linear in the number of servers, mutating in place. Without
    /// `servers`, only frontends and backends are followed (a fleet's balancers out of focus: their servers' rates
    /// are in the snapshot; their history starts when one is focused).
    public mutating func record(_ snapshot: BalancerSnapshot, at time: Date, servers: Bool = true) {
        let elapsed = lastTime.map { time.timeIntervalSince($0) } ?? 0
        var present = 0
        let large = snapshot.backends.reduce(0) { $0 + $1.servers.count } > Self.largeBalancer
        func sample(_ id: Key, errors: Int, rate: Int, sessions: Int, queue: Int, full: Bool) {
            present += 1
            var errorRate = 0.0
            if elapsed > 0, let previous = lastCounters[id], errors > previous {
                errorRate = Double(errors - previous) / elapsed
                errorRates[id] = errorRate
            } else if errorRates[id] != nil {
                errorRates[id] = nil
            }
            lastCounters[id] = errors
            rateHistory[id, default: []].appendBounded(rate, limit: full ? Self.historyLength : Self.largeHistoryLength)
            if full {
                series[id, default: Series()].append(
                    sessions: sessions, errors: Int(errorRate.rounded(.up)), queue: queue, limit: Self.historyLength)
            }
        }
        for frontend in snapshot.frontends {
            sample(
                .frontend(frontend.name), errors: frontend.http5xx, rate: frontend.rate, sessions: frontend.sessions,
                queue: 0, full: true)
        }
        for backend in snapshot.backends {
            sample(
                .backend(backend.name), errors: backend.http5xx, rate: backend.rate, sessions: backend.sessions,
                queue: backend.queue, full: true)
            for server in backend.servers where servers {
                sample(
                    .server(server.id), errors: server.http5xx, rate: server.rate, sessions: server.sessions,
                    queue: server.queue, full: !large)
            }
        }
        if large && series.count > snapshot.frontends.count + snapshot.backends.count {
            series = series.filter {
                if case .server = $0.key { return false }
                return true
            }
        }
        if lastCounters.count != present {  // something left: forget it
            var keep = Set<Key>(minimumCapacity: present)
            for frontend in snapshot.frontends { keep.insert(.frontend(frontend.name)) }
            for backend in snapshot.backends {
                keep.insert(.backend(backend.name))
                for server in backend.servers where servers { keep.insert(.server(server.id)) }
            }
            lastCounters = lastCounters.filter { keep.contains($0.key) }
            rateHistory = rateHistory.filter { keep.contains($0.key) }
            errorRates = errorRates.filter { keep.contains($0.key) }
            series = series.filter { keep.contains($0.key) }
        }
        lastTime = time
    }
}

extension Metrics.Series {
    mutating func append(sessions: Int, errors: Int, queue: Int, limit: Int) {
        self.sessions.appendBounded(sessions, limit: limit)
        self.errors.appendBounded(errors, limit: limit)
        self.queue.appendBounded(queue, limit: limit)
    }
}

extension Array where Element == Int {
    /// Appends, keeping at least the last `limit` values: the oldest are dropped `limit` at a time once the array
    /// holds twice that, so a refresh moves no memory (readers take `suffix(limit)`).
    mutating func appendBounded(_ value: Int, limit: Int) {
        if count >= 2 * limit { removeFirst(count - limit + 1) }
        append(value)
    }
}
