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

    /// Folds in a new snapshot taken at `time`. Linear in the number of servers, mutating in place.
    public mutating func record(_ snapshot: BalancerSnapshot, at time: Date) {
        let elapsed = lastTime.map { time.timeIntervalSince($0) } ?? 0
        var present = 0
        func sample(_ id: String, errors: Int, rate: Int) {
            present += 1
            if elapsed > 0, let previous = lastCounters[id], errors > previous {
                errorRates[id] = Double(errors - previous) / elapsed
            } else if errorRates[id] != nil {
                errorRates[id] = nil
            }
            lastCounters[id] = errors
            rateHistory[id, default: []].appendBounded(rate, limit: Self.historyLength)
        }
        for frontend in snapshot.frontends {
            sample("fe:" + frontend.name, errors: frontend.http5xx, rate: frontend.rate)
        }
        for backend in snapshot.backends {
            sample(backend.name, errors: backend.http5xx, rate: backend.rate)
            for server in backend.servers { sample(server.id, errors: server.http5xx, rate: server.rate) }
        }
        if lastCounters.count != present {  // something left: forget it
            var keep = Set<String>(minimumCapacity: present)
            for frontend in snapshot.frontends { keep.insert("fe:" + frontend.name) }
            for backend in snapshot.backends {
                keep.insert(backend.name)
                for server in backend.servers { keep.insert(server.id) }
            }
            lastCounters = lastCounters.filter { keep.contains($0.key) }
            rateHistory = rateHistory.filter { keep.contains($0.key) }
            errorRates = errorRates.filter { keep.contains($0.key) }
        }
        lastTime = time
    }
}

extension Array where Element == Int {
    mutating func appendBounded(_ value: Int, limit: Int) {
        if count >= limit { removeFirst(count - limit + 1) }
        append(value)
    }
}
