import Foundation
import SwitchboardCore

/// What successive snapshots tell that one cannot: 5xx per second and recent rate history for
/// sparklines. Bounded: ``historyLength`` samples per server and backend.
public struct Metrics: Hashable, Sendable {
    /// Samples kept per series.
    public static let historyLength = 60

    /// 5xx responses per second, by server id or backend name.
    public private(set) var errorRates: [String: Double] = [:]
    /// Recent `rate` samples, oldest first, by server id or backend name.
    public private(set) var rateHistory: [String: [Int]] = [:]
    private var lastCounters: [String: Int] = [:]
    private var lastTime: Date?

    /// Makes empty metrics.
    public init() {}

    /// 5xx per second of a server or backend (0 when unknown).
    public func errorRate(_ id: String) -> Double { errorRates[id] ?? 0 }

    /// Folds in a new snapshot taken at `time`.
    public mutating func record(_ snapshot: BalancerSnapshot, at time: Date) {
        let elapsed = lastTime.map { time.timeIntervalSince($0) } ?? 0
        var counters: [String: Int] = [:]
        var rates: [String: Double] = [:]
        var history: [String: [Int]] = [:]
        counters.reserveCapacity(lastCounters.count)
        func sample(_ id: String, errors: Int, rate: Int) {
            counters[id] = errors
            if elapsed > 0, let previous = lastCounters[id], errors >= previous {
                rates[id] = Double(errors - previous) / elapsed
            }
            var series = rateHistory[id] ?? []
            if series.count >= Self.historyLength { series.removeFirst(series.count - Self.historyLength + 1) }
            series.append(rate)
            history[id] = series
        }
        for frontend in snapshot.frontends {
            sample("fe:" + frontend.name, errors: frontend.http5xx, rate: frontend.rate)
        }
        for backend in snapshot.backends {
            sample(backend.name, errors: backend.http5xx, rate: backend.rate)
            for server in backend.servers { sample(server.id, errors: server.http5xx, rate: server.rate) }
        }
        lastCounters = counters
        errorRates = rates
        rateHistory = history
        lastTime = time
    }
}
