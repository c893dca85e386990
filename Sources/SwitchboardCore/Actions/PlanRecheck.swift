/// A plan checked again against a newer snapshot, just before it is sent (compare-and-set).
///
/// The balancer moves while an operator reads a preview: another operator drains the other servers, a
/// check takes one down, a reload resets weights. A plan's guard ("this leaves the backend without an
/// active server") is only true of the state it was computed from, so before anything is sent the plan's
/// ``ActionPlan/basis`` is compared with the newest snapshot; when anything it depends on differs, the
/// plan is re-projected on the new state and shown again with what changed.
public struct PlanRecheck: Sendable, Hashable {
    /// The plan re-projected on the newer snapshot (the same commands; new before-states, impact,
    /// warnings and basis). Equal to the original plan's commands, always.
    public var plan: ActionPlan
    /// What differs from the state the plan was shown on, one line per server:
    /// `be_web/web2: admin ready → drain`.
    public var changes: [String]

    /// True when nothing the plan depends on changed: it may be sent as confirmed.
    public var isUnchanged: Bool { changes.isEmpty }
}

/// Thrown (by the executor, before anything is sent) when a plan's basis no longer holds: the operator
/// must see ``recheck`` and confirm again.
public struct PlanChanged: Error, Sendable, Hashable, CustomStringConvertible {
    /// The re-planned plan and what changed.
    public var recheck: PlanRecheck

    /// Wraps a recheck.
    public init(_ recheck: PlanRecheck) { self.recheck = recheck }

    /// One line for people.
    public var description: String {
        "the balancer changed since the plan was shown (" + recheck.changes.joined(separator: "; ")
            + "); nothing was sent — review the new impact and confirm again"
    }
}

extension ActionPlanner {
    /// Compares `plan`'s basis with `snapshot` and re-projects the plan there. Pure.
    public static func recheck(_ plan: ActionPlan, on snapshot: BalancerSnapshot) -> PlanRecheck {
        var changes: [String] = []
        for state in plan.basis {
            guard let server = snapshot.server(state.server) else {
                changes.append("\(state.server): no longer reported by the balancer")
                continue
            }
            let differences = dependencyChanges(from: state, to: ActionPlan.ServerState(server))
            if !differences.isEmpty { changes.append("\(state.server): " + differences.joined(separator: ", ")) }
        }
        var replanned = reproject(plan, on: snapshot)
        replanned.changes = changes
        return PlanRecheck(plan: replanned, changes: changes)
    }

    /// What a plan depends on, compared field by field: admin mode, weight, whether the health lets the
    /// server serve, checks and agent enabled. Counters (sessions) do not count.
    public static func dependencyChanges(from old: ActionPlan.ServerState, to new: ActionPlan.ServerState) -> [String] {
        var changes: [String] = []
        if old.admin != new.admin { changes.append("admin \(old.admin.rawValue) → \(new.admin.rawValue)") }
        if old.weight != new.weight { changes.append("weight \(old.weight) → \(new.weight)") }
        if old.health.letsServe != new.health.letsServe {
            changes.append("health \(old.health.rawValue) → \(new.health.rawValue)")
        }
        if old.checksEnabled != new.checksEnabled {
            changes.append(
                "checks \(old.checksEnabled ? "enabled" : "disabled") → \(new.checksEnabled ? "enabled" : "disabled")")
        }
        if old.agentEnabled != new.agentEnabled {
            changes.append(
                "agent \(old.agentEnabled ? "enabled" : "disabled") → \(new.agentEnabled ? "enabled" : "disabled")")
        }
        return changes
    }

    /// The same commands projected on `snapshot`: before-states, capacity impact, capacity warnings and
    /// basis computed anew; other warnings and notes kept.
    public static func reproject(_ plan: ActionPlan, on snapshot: BalancerSnapshot) -> ActionPlan {
        var projected: [ServerID: Server] = [:]
        for step in plan.steps {
            let ref = step.target
            guard let server = projected[ref.id] ?? snapshot.server(ref)
            else { continue }
            projected[server.id] = apply(step, to: server)
        }
        let impacts = impacts(of: projected, on: snapshot)
        var replanned = plan
        let oldCapacityWarnings = Set(capacityWarnings(plan.impacts))
        replanned.impacts = impacts
        replanned.warnings = capacityWarnings(impacts) + plan.warnings.filter { !oldCapacityWarnings.contains($0) }
        replanned.before = plan.before.map { state in
            guard let server = snapshot.server(state.server) else { return state }
            return ActionPlan.ServerState(server)
        }
        replanned.basis = basis(of: impacts, in: snapshot)
        replanned.changes = []
        return replanned
    }

    /// A server as it would be after one step.
    static func apply(_ step: ServerAction, to server: Server) -> Server {
        var after = server
        switch step {
        case .setAdmin(_, let mode):
            if server.admin.mode == .maint && mode != .maint && after.health == .down && server.checksEnabled {
                after.health = .up  // out of MAINT a checked server starts as its checks find it: assume up
            }
            after.admin = AdminState(mode: mode)
        case .setWeight(_, let value):
            after.weight = value.resolved(initialWeight: server.initialWeight ?? server.weight)
        case .forceHealth(_, let health): after.health = health == .up ? .up : .down
        case .forceAgent(_, let up): if !up { after.health = .down }
        case .healthChecks(_, let enabled): after.checksEnabled = enabled
        case .agentChecks(_, let enabled): after.agentEnabled = enabled
        case .killSessions: after.sessions = 0
        }
        return after
    }
}

extension Health {
    /// True for the health states in which a ready server takes traffic.
    public var letsServe: Bool { self == .up || self == .starting }
}
