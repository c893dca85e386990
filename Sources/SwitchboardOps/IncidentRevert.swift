import FoundationEssentials
import SwitchboardCore

/// Revert to incident start: for one balancer (matched by its socket), every server an action touched since the
/// incident started, with the state the first such action recorded before it (the state at the incident's start)
/// and the state the last one left it in — so a server someone else changed since can be left alone.
public enum IncidentRevert {
    /// The recorded states: `before` to restore, `leftAs` to recognise a later change by someone else.
    public struct States: Sendable, Hashable {
        /// Per server, its state before the first action since the start.
        public var before: [ActionPlan.ServerState]
        /// Per server, as the last action since the start left it (servers with no observed state are absent).
        public var leftAs: [ActionPlan.ServerState]
    }

    /// The states on `socket` from the outcome records at or after `start` (dry runs and attempts without outcome
    /// skipped: nothing is known to have been sent by them).
    public static func states(in records: [AuditRecord], socket: String, since start: Date) -> States {
        var before: [ServerID: ActionPlan.ServerState] = [:]
        var order: [ServerID] = []
        var left: [ServerID: ActionPlan.ServerState] = [:]
        for record in records where !record.isAttempt && !record.dryRun && record.socket == socket {
            guard let time = AuditRecord.date(fromTimestamp: record.time), time >= start else { continue }
            for state in record.before where before[state.server] == nil {
                before[state.server] = state
                order.append(state.server)
            }
            for state in record.after { left[state.server] = state }
        }
        return States(before: order.compactMap { before[$0] }, leftAs: order.compactMap { left[$0] })
    }
}
