import SwitchboardCore

/// An operator change a reload (or restart) silently undid: the state the audit log says the operator left a
/// server in, on an earlier worker, against what the new worker shows.
public struct LostChange: Sendable, Hashable {
    /// The server, as the operator left it (the verified record's after-state).
    public var recorded: ActionPlan.ServerState
    /// The server now.
    public var now: ActionPlan.ServerState
    /// The worker the change was made on.
    public var pid: Int
    /// The action that left it so (`drain`, `weight`, …) and when.
    public var intent: String
    /// When (UTC).
    public var time: String

    /// `be_web/web1 drain → ready` or `be_web/web2 weight 50 → 100`.
    public var description: String {
        var parts: [String] = []
        if recorded.admin != now.admin { parts.append("\(recorded.admin.rawValue) → \(now.admin.rawValue)") }
        if recorded.weight != now.weight { parts.append("weight \(recorded.weight) → \(now.weight)") }
        return "\(recorded.server) " + parts.joined(separator: ", ")
    }
}

/// Finds the operator changes still meant to be in force on a balancer and lost by a reload: from the audit
/// log, the state each server was last left in by a verified action (later records — an undo, a fail back,
/// a rollback, another action — supersede earlier ones); a server whose admin state or weight differs now
/// *on a newer worker* lost it. On the same worker a difference is someone else's later change, not a
/// reload's: it is left alone.
public enum LostChanges {
    /// The changes lost on `snapshot`'s balancer (matched by its socket), from records at or after `since`.
    public static func find(in records: [AuditRecord], on snapshot: BalancerSnapshot, since: String) -> [LostChange] {
        var left: [ServerID: (state: ActionPlan.ServerState, record: AuditRecord)] = [:]
        var order: [ServerID] = []
        for record in records
        where !record.isAttempt && !record.dryRun && record.verified && record.socket == snapshot.info.socket
            && record.time >= since
        {
            for state in record.after {
                if left[state.server] == nil { order.append(state.server) }
                left[state.server] = (state, record)
            }
        }
        return order.compactMap { id in
            guard let (state, record) = left[id], record.balancer.pid != snapshot.info.pid,
                let server = snapshot.server(id)
            else { return nil }
            let now = ActionPlan.ServerState(server)
            guard now.admin != state.admin || now.weight != state.weight else { return nil }
            return LostChange(
                recorded: state, now: now, pid: record.balancer.pid, intent: record.intent, time: record.time)
        }
    }

    /// `reload on lb1 (pid 4121 → 4388) reverted 2 manual change(s): be_web/web1 drain → ready, …`.
    public static func summary(_ lost: [LostChange], balancer: String, pid: Int) -> String {
        let pids = Set(lost.map(\.pid)).sorted().map(String.init).joined(separator: ", ")
        return "reload on \(balancer) (pid \(pids) → \(pid)) reverted \(lost.count) manual change(s): "
            + lost.map(\.description).joined(separator: ", ")
    }
}
