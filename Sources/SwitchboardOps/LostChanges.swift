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
    /// For a balancer new to the fleet: the sockets of the other balancers that carry the change (empty for a
    /// change this balancer itself lost on reload).
    public var carriedBy: [String] = []

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

    /// What to put back on `snapshot`'s balancer: what a reload undid there (``find(in:on:since:)``) or, for a
    /// balancer new to the fleet, what the fleet's intents left on the others (``missing(in:on:since:)``).
    public static func toReapply(in records: [AuditRecord], on snapshot: BalancerSnapshot, since: String)
        -> [LostChange]
    {
        let lost = find(in: records, on: snapshot, since: since)
        return lost.isEmpty ? missing(in: records, on: snapshot, since: since) : lost
    }

    /// The changes a balancer new to the fleet never got: it has no record of its own in the audit log since
    /// `since` (a new node, or a node rebuilt at a new address), while a fleet-wide intent — one intent id on
    /// two balancers or more — left a server in a state still in force on every balancer it reached (not
    /// superseded there since: an undo, a fail back, a later action) and agreed between them. Where this
    /// balancer's server differs, the change is missing here.
    public static func missing(in records: [AuditRecord], on snapshot: BalancerSnapshot, since: String)
        -> [LostChange]
    {
        let recent = records.filter { !$0.isAttempt && !$0.dryRun && $0.time >= since }
        guard !recent.contains(where: { $0.socket == snapshot.info.socket }) else { return [] }
        // Per socket and server, the record that last left it (verified or not: a failed one supersedes too).
        var last: [String: [ServerID: AuditRecord]] = [:]
        var order: [ServerID] = []
        var seen: Set<ServerID> = []
        for record in recent {
            for state in record.after {
                last[record.socket, default: [:]][state.server] = record
                if seen.insert(state.server).inserted { order.append(state.server) }
            }
        }
        return order.compactMap { id -> LostChange? in
            guard let server = snapshot.server(id) else { return nil }
            let latest = last.values.compactMap { $0[id] }.max { $0.time < $1.time }
            guard let latest, let intent = latest.intentID, latest.verified else { return nil }
            let carriers = recent.filter { record in
                record.intentID == intent && record.after.contains { $0.server == id }
            }
            let sockets = Set(carriers.map(\.socket))
            guard sockets.count >= 2,
                sockets.allSatisfy({ last[$0]?[id]?.intentID == intent && last[$0]?[id]?.verified == true })
            else { return nil }
            let states = carriers.compactMap { $0.after.first { $0.server == id } }
            guard let state = states.first,
                states.allSatisfy({ $0.admin == state.admin && $0.weight == state.weight })
            else { return nil }
            let now = ActionPlan.ServerState(server)
            guard now.admin != state.admin || now.weight != state.weight else { return nil }
            var change = LostChange(
                recorded: state, now: now, pid: latest.balancer.pid, intent: latest.intent, time: latest.time)
            change.carriedBy = sockets.sorted()
            return change
        }
    }

    /// `reload on lb1 (pid 4121 → 4388) reverted 2 manual change(s): be_web/web1 drain → ready, …`, or for a
    /// balancer new to the fleet `lb3 is new to the fleet and lacks 1 manual change the other 2 balancers
    /// carry: be_web/web1 drain → ready`.
    public static func summary(_ lost: [LostChange], balancer: String, pid: Int) -> String {
        if !lost.isEmpty, lost.allSatisfy({ !$0.carriedBy.isEmpty }) {
            let carriers = Set(lost.flatMap(\.carriedBy)).count
            return "\(balancer) is new to the fleet (no record of it in the audit log) and lacks \(lost.count) "
                + "manual change(s) the other \(carriers) balancers carry: "
                + lost.map(\.description).joined(separator: ", ")
        }
        let pids = Set(lost.map(\.pid)).sorted().map(String.init).joined(separator: ", ")
        return "reload on \(balancer) (pid \(pids) → \(pid)) reverted \(lost.count) manual change(s): "
            + lost.map(\.description).joined(separator: ", ")
    }
}
