/// A balancer's request counters as its frontends report them (`req_tot`, `hrsp_5xx`, summed over the HTTP
/// frontends): read at an incident's start and end, they say how many requests failed in between.
public struct RequestCounters: Sendable, Hashable, Codable {
    /// HTTP requests received (nil when the frontends do not report `req_tot`).
    public var requests: Int?
    /// Of those, answered with a 5xx (HAProxy's own 503s included).
    public var failed: Int

    /// Makes counters.
    public init(requests: Int?, failed: Int) {
        self.requests = requests
        self.failed = failed
    }

    /// The counters of `snapshot`'s HTTP frontends (nil when it has none).
    public init?(_ snapshot: BalancerSnapshot) {
        let http = snapshot.frontends.filter { ($0.mode ?? "http") == "http" }
        guard !http.isEmpty else { return nil }
        let totals = http.map { $0.fields?["req_tot"].flatMap { Int($0) } }
        requests = totals.contains(nil) ? nil : totals.compactMap { $0 }.reduce(0, +)
        failed = http.reduce(0) { $0 + $1.http5xx }
    }

    /// What happened between `start` and `end` per balancer: the sums, or why they are not known (a balancer read
    /// at one end only, or a counter that went back — a reload or restart resets them).
    public static func between(_ start: [String: RequestCounters], _ end: [String: RequestCounters]) -> Result<
        RequestCounters, Unknown
    > {
        guard !start.isEmpty, !end.isEmpty else { return .failure(.notRead) }
        guard Set(start.keys) == Set(end.keys) else { return .failure(.differentBalancers) }
        var requests: Int? = 0
        var failed = 0
        for (name, first) in start {
            let last = end[name]!
            guard last.failed >= first.failed, (last.requests ?? 0) >= (first.requests ?? 0) else {
                return .failure(.reset(name))
            }
            failed += last.failed - first.failed
            if let a = first.requests, let b = last.requests, let sum = requests {
                requests = sum + b - a
            } else {
                requests = nil
            }
        }
        return .success(RequestCounters(requests: requests, failed: failed))
    }

    /// Why the requests failed are not known.
    public enum Unknown: Error, Sendable, Hashable, CustomStringConvertible {
        /// No balancer was read at the start or at the end.
        case notRead
        /// Not the same balancers were read at both ends.
        case differentBalancers
        /// A counter went back on this balancer (reloaded or restarted).
        case reset(String)

        /// In words, for the timeline.
        public var description: String {
            switch self {
            case .notRead: "the balancers' counters were not read at the incident's start and end"
            case .differentBalancers: "not the same balancers were read at the incident's start and end"
            case .reset(let name): "\(name)'s counters went back (reloaded or restarted during the incident)"
            }
        }
    }
}
