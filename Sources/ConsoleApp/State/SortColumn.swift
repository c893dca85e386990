import SwitchboardCore

/// The column servers are sorted by within each backend (`none` keeps HAProxy's order).
public enum SortColumn: String, Hashable, Sendable, CaseIterable {
    case none, name, state, weight, sessions, load, rate, errors, responseTime

    /// The next column in the cycle.
    public var next: SortColumn {
        let all = SortColumn.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// As shown in the header.
    public var label: String {
        switch self {
        case .none: "config order"
        case .name: "name"
        case .state: "state"
        case .weight: "weight"
        case .sessions: "sessions"
        case .load: "load"
        case .rate: "rate"
        case .errors: "5xx/s"
        case .responseTime: "response time"
        }
    }

    /// Orders two servers; ties keep config order (the caller sorts stably).
    func ascending(_ a: Server, _ b: Server, metrics: Metrics, busiest: Int) -> Bool? {
        func compare<T: Comparable>(_ x: T, _ y: T) -> Bool? { x == y ? nil : x < y }
        switch self {
        case .none: return nil
        case .name: return compare(a.name, b.name)
        case .state: return compare(Self.stateRank(a), Self.stateRank(b))
        case .weight: return compare(a.weight, b.weight)
        case .sessions: return compare(a.sessions, b.sessions)
        case .load: return compare(Load.ratio(of: a, busiest: busiest), Load.ratio(of: b, busiest: busiest))
        case .rate: return compare(a.rate, b.rate)
        case .errors: return compare(metrics.errorRate(.server(a.id)), metrics.errorRate(.server(b.id)))
        case .responseTime: return compare(a.responseTimeMilliseconds ?? -1, b.responseTimeMilliseconds ?? -1)
        }
    }

    /// Worst first when descending: DOWN, MAINT, DRAIN/NOLB, transitions, UP.
    static func stateRank(_ server: Server) -> Int {
        if server.health == .down && server.admin.mode != .maint { return 5 }
        if server.admin.mode == .maint { return 4 }
        if server.admin.mode == .drain || server.health == .stopping { return 3 }
        if server.status.progress != nil { return 2 }
        return 1
    }
}

/// How loaded a server is, for the bar.
public enum Load {
    /// Current sessions against the server's limit when it has one, otherwise against the busiest
    /// server of its backend.
    public static func ratio(of server: Server, busiest: Int) -> Double {
        if let limit = server.sessionLimit, limit > 0 { return min(1, Double(server.sessions) / Double(limit)) }
        guard busiest > 0 else { return 0 }
        return Double(server.sessions) / Double(busiest)
    }
}
