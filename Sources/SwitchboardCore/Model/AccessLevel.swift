/// The access level of a control socket, as HAProxy reports it with `show cli level`.
///
/// Every server action (state, weight, health, agent, sessions) needs ``admin``;
/// ``operator`` is nearly read-only and ``user`` only reads (it can still edit maps and ACLs).
public enum AccessLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Reads statistics; `addr` is blanked in `show stat`.
    case user
    /// Reads, plus `clear counters`, `show sess`, `show errors`.
    case `operator`
    /// Everything, including every server action.
    case admin

    /// Whether server actions (drain, weight, maint…) are allowed at this level.
    public var canChangeServers: Bool { self == .admin }

    /// The header badge: `ADMIN`, `OPERATOR` or `READ-ONLY`.
    public var badge: String {
        switch self {
        case .admin: "ADMIN"
        case .operator: "OPERATOR"
        case .user: "READ-ONLY"
        }
    }

    /// Orders values for stable sorting.
    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool {
        let order: [AccessLevel] = [.user, .operator, .admin]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}
