/// What the users of a service saw in one second: requests answered, requests failed (a 5xx or no answer) and
/// the sum of their response times.
public struct ServiceSecond: Sendable, Hashable, Codable {
    /// Requests that finished in this second.
    public var requests = 0
    /// Of those, the ones answered with a 5xx or not answered at all.
    public var failed = 0
    /// The sum of their response times, in milliseconds.
    public var totalMilliseconds = 0.0

    /// An empty second.
    public init() {}

    /// Makes a second from its counts.
    public init(requests: Int, failed: Int, totalMilliseconds: Double) {
        self.requests = requests
        self.failed = failed
        self.totalMilliseconds = totalMilliseconds
    }

    /// The mean response time in milliseconds (0 without requests).
    public var meanMilliseconds: Double { requests == 0 ? 0 : totalMilliseconds / Double(requests) }

    /// The failed share, 0…1 (0 without requests).
    public var failedShare: Double { requests == 0 ? 0 : Double(failed) / Double(requests) }

    /// Adds one finished request.
    public mutating func add(status: Int, milliseconds: Double) {
        requests += 1
        if status == 0 || status >= 500 { failed += 1 }
        totalMilliseconds += milliseconds
    }
}

/// When a service counts as healthy, and for how long it must stay so to count as recovered.
public struct RecoveryRule: Sendable, Hashable, Codable {
    /// The largest failed share (5xx or no answer) of a healthy second, 0…1.
    public var maxFailedShare: Double
    /// The largest mean response time of a healthy second, in milliseconds.
    public var maxMeanMilliseconds: Double
    /// Healthy seconds in a row that make a recovery.
    public var windowSeconds: Int

    /// Makes a rule.
    public init(maxFailedShare: Double = 0.01, maxMeanMilliseconds: Double = 500, windowSeconds: Int = 30) {
        self.maxFailedShare = maxFailedShare
        self.maxMeanMilliseconds = maxMeanMilliseconds
        self.windowSeconds = max(1, windowSeconds)
    }

    /// Whether one second was healthy: it had requests, few enough failed and they were fast enough.
    public func isHealthy(_ second: ServiceSecond) -> Bool {
        second.requests > 0 && second.failedShare <= maxFailedShare && second.meanMilliseconds <= maxMeanMilliseconds
    }

    /// The second (index into `seconds`, counted from `from`) the service recovered at — the first of
    /// `windowSeconds` healthy seconds in a row, all at or after `from` — or nil when it has not (yet).
    public func recoveredAt(_ seconds: [ServiceSecond], from: Int) -> Int? {
        var streakStart: Int?
        var index = max(0, from)
        while index < seconds.count {
            if isHealthy(seconds[index]) {
                if streakStart == nil { streakStart = index }
                if index - streakStart! + 1 >= windowSeconds { return streakStart }
            } else {
                streakStart = nil
            }
            index += 1
        }
        return nil
    }

    /// Whether the service was hurt at some second at or after `from` (the fault showed).
    public func firstUnhealthy(_ seconds: [ServiceSecond], from: Int) -> Int? {
        guard from < seconds.count else { return nil }
        return (max(0, from)..<seconds.count).first { seconds[$0].requests > 0 && !isHealthy(seconds[$0]) }
    }
}
