/// Checks an ``ActionIntent`` against a snapshot and turns it into an ``ActionPlan``: the commands, the
/// expected outcome, the capacity impact and the warnings. Pure; refuses impossible intents with the
/// reason before anything is sent.
public enum ActionPlanner {
    /// Algorithms whose weights HAProxy cannot change at run time except to 0 % or 100 % (measured on 2.6).
    public static let staticAlgorithms: Set<String> = ["static-rr"]

    /// Plans `intent` on `snapshot`.
    public static func plan(_ intent: ActionIntent, on snapshot: BalancerSnapshot) throws -> ActionPlan {
        guard !intent.targets.isEmpty else { throw SwitchboardError(.invalidValue, "no server to act on") }
        var steps: [ServerAction] = []
        var expectations: [ActionPlan.Expectation] = []
        var warnings: [String] = []
        var before: [ActionPlan.ServerState] = []
        var projected: [ServerID: Server] = [:]
        let weight = try intent.operation.weightValue()
        for ref in intent.targets {
            guard let backend = snapshot.backend(named: ref.backend.value) else {
                throw SwitchboardError(
                    .noSuchBackend,
                    "no backend '\(ref.backend)' on \(snapshot.info.socket); backends: "
                        + snapshot.backends.map(\.name).joined(separator: ", "))
            }
            guard let server = backend.servers.first(where: { $0.name == ref.server.value }) else {
                throw SwitchboardError(
                    .noSuchServer,
                    "no server '\(ref.server)' in backend \(backend.name); servers: "
                        + backend.servers.map(\.name).joined(separator: ", "))
            }
            before.append(ActionPlan.ServerState(server))
            var after = server
            let id = server.id
            if intent.disableAgentFirst && server.agentEnabled {
                steps.append(.agentChecks(ref, enabled: false))
                expectations.append(.agent(id, false))
                after.agentEnabled = false
            }
            if intent.disableChecksFirst && server.checksEnabled {
                steps.append(.healthChecks(ref, enabled: false))
                expectations.append(.checks(id, false))
                after.checksEnabled = false
            }
            switch intent.operation {
            case .setAdmin(let mode):
                steps.append(.setAdmin(ref, mode))
                expectations.append(.admin(id, mode))
                after.admin = AdminState(mode: mode)
                if mode != .ready && after.agentEnabled {
                    warnings.append(
                        "\(id) has an active agent check: an agent reply of `ready` cancels \(mode.rawValue.uppercased()) "
                            + "within one agent interval — disable the agent as part of this action")
                }
                if mode == .ready && server.admin.inherited {
                    warnings.append(
                        "\(id) is in \(server.admin.mode.rawValue) because it tracks \(server.tracks ?? "another server"); ready will not change that"
                    )
                }
            case .setWeight:
                guard let weight else { break }
                let initial = server.initialWeight ?? server.weight
                let resolved = weight.resolved(initialWeight: initial)
                if let algorithm = backend.algorithm, staticAlgorithms.contains(algorithm), resolved != 0,
                    resolved != initial
                {
                    throw SwitchboardError(
                        .unsupported,
                        "backend \(backend.name) uses \(algorithm), a static algorithm: HAProxy accepts only 0% or 100% "
                            + "there (weight \(resolved) of initial \(initial) would be refused); nothing was sent")
                }
                let sent: WeightValue =
                    backend.algorithm.map { staticAlgorithms.contains($0) } == true
                    ? .percent(resolved == 0 ? 0 : 100) : .absolute(resolved)
                steps.append(.setWeight(ref, sent))
                expectations.append(.weight(id, resolved))
                after.weight = resolved
            case .forceHealth(let up):
                steps.append(.forceHealth(ref, up ? .up : .down))
                expectations.append(.health(id, up ? .up : .down))
                after.health = up ? .up : .down
                if after.checksEnabled {
                    warnings.append(
                        "\(id): health checks are on, so the next check overwrites a forced health state within seconds "
                            + "— disable checks as part of this action to make it stick")
                }
            case .forceAgent(let up):
                guard server.agentEnabled || after.agentEnabled else {
                    throw SwitchboardError(
                        .unsupported,
                        "\(id) has no agent check enabled (HAProxy: agent checks are not enabled on this server.); nothing was sent"
                    )
                }
                steps.append(.forceAgent(ref, up: up))
                if !up { after.health = .down }
            case .healthChecks(let enabled):
                steps.append(.healthChecks(ref, enabled: enabled))
                expectations.append(.checks(id, enabled))
                after.checksEnabled = enabled
            case .agentChecks(let enabled):
                steps.append(.agentChecks(ref, enabled: enabled))
                expectations.append(.agent(id, enabled))
                after.agentEnabled = enabled
            case .killSessions:
                steps.append(.killSessions(ref))
                after.sessions = 0
            }
            projected[id] = after
        }
        let impacts = impacts(of: projected, on: snapshot)
        var plan = ActionPlan(
            intent: intent, steps: steps, expectations: expectations, impacts: impacts,
            warnings: capacityWarnings(impacts) + warnings, before: before)
        plan.basis = basis(of: impacts, in: snapshot)
        return plan
    }

    /// The warnings about a backend left without active servers (or without any server), first in a preview.
    static func capacityWarnings(_ impacts: [BackendImpact]) -> [String] {
        impacts.filter(\.leavesNoActiveServing).map { impact in
            let backups = impact.after.backupServing
            return backups > 0
                ? "\(impact.backend) would have no active server serving: \(backups) backup(s) take all traffic"
                : "\(impact.backend) would have NO server serving: clients get 503"
        }
    }

    /// Every server of the backends a plan touches, as the plan's guard saw them.
    static func basis(of impacts: [BackendImpact], in snapshot: BalancerSnapshot) -> [ActionPlan.ServerState] {
        impacts.flatMap { impact in
            (snapshot.backend(named: impact.backend)?.servers ?? []).map(ActionPlan.ServerState.init)
        }
    }

    /// Capacity before and after for every backend a projected server belongs to.
    static func impacts(of projected: [ServerID: Server], on snapshot: BalancerSnapshot) -> [BackendImpact] {
        let touched = Set(projected.values.map(\.backend))
        return snapshot.backends.filter { touched.contains($0.name) }.map { backend in
            func capacity(_ servers: [Server]) -> BackendImpact.Capacity {
                let actives = servers.filter { !$0.isBackup && $0.isServing }
                return BackendImpact.Capacity(
                    activeServing: actives.count, activeWeight: actives.reduce(0) { $0 + $1.weight },
                    backupServing: servers.filter { $0.isBackup && $0.isServing }.count)
            }
            let after = backend.servers.map { projected[$0.id] ?? $0 }
            return BackendImpact(
                backend: backend.name, before: capacity(backend.servers), after: capacity(after),
                activeTotal: backend.activeServers.count)
        }
    }

    /// The plan that puts the servers back as `before` recorded them (admin mode, weight, checks,
    /// agent, forced health), as one step set; servers already as recorded are left alone.
    ///
    /// With `leftAs` (the states the action left the servers in), a server changed since — by anyone —
    /// is left alone and listed in ``ActionPlan/leftAlone`` with a warning, unless its id is in `including`.
    /// Throws when every server was left alone.
    public static func undo(
        _ before: [ActionPlan.ServerState], leftAs: [ActionPlan.ServerState]? = nil, including: Set<ServerID> = [],
        on snapshot: BalancerSnapshot
    ) throws -> ActionPlan {
        var steps: [ServerAction] = []
        var expectations: [ActionPlan.Expectation] = []
        var projected: [ServerID: Server] = [:]
        var targets: [ServerRef] = []
        var recorded: [ActionPlan.ServerState] = []
        var warnings: [String] = []
        var leftAlone: [ServerID] = []
        let left = Dictionary((leftAs ?? []).map { ($0.server, $0) }, uniquingKeysWith: { first, _ in first })
        for state in before {
            guard let server = snapshot.server(state.server) else {
                throw SwitchboardError(
                    .noSuchServer, "\(state.server) is no longer reported by the balancer; cannot undo")
            }
            let now = ActionPlan.ServerState(server)
            if let expected = left[state.server], !including.contains(state.server) {
                var changed = dependencyChanges(from: expected, to: now)
                if expected.checksEnabled { changed.removeAll { $0.hasPrefix("health ") } }  // checks move health
                if !changed.isEmpty {
                    leftAlone.append(state.server)
                    warnings.append(
                        "\(state.server) changed since by someone else (\(changed.joined(separator: ", "))) — left alone"
                    )
                    continue
                }
            }
            let ref = try state.server.validated()
            var stepsHere: [ServerAction] = []
            if server.checksEnabled != state.checksEnabled {
                stepsHere.append(.healthChecks(ref, enabled: state.checksEnabled))
                expectations.append(.checks(server.id, state.checksEnabled))
            }
            if server.agentEnabled != state.agentEnabled {
                stepsHere.append(.agentChecks(ref, enabled: state.agentEnabled))
                expectations.append(.agent(server.id, state.agentEnabled))
            }
            // The weight first: a server let back into rotation takes traffic at its restored weight from
            // its first request (a ramp's first step), never at the weight it had before.
            if server.weight != state.weight {
                stepsHere.append(.setWeight(ref, try .validatedAbsolute(state.weight)))
                expectations.append(.weight(server.id, state.weight))
            }
            if server.admin.mode != state.admin && !state.adminInherited {
                stepsHere.append(.setAdmin(ref, state.admin))
                expectations.append(.admin(server.id, state.admin))
            }
            if state.health == .up && server.health == .down && !state.checksEnabled && server.admin.mode != .maint {
                stepsHere.append(.forceHealth(ref, .up))
                expectations.append(.health(server.id, .up))
            }
            targets.append(ref)
            recorded.append(now)
            var after = stepsHere.reduce(server) { apply($1, to: $0) }
            if server.admin.mode == .maint && state.admin != .maint && state.checksEnabled {
                after.health = state.health  // out of MAINT, checks find it as it was before
            }
            projected[server.id] = after
            steps += stepsHere
        }
        if targets.isEmpty && !leftAlone.isEmpty {
            throw SwitchboardError(
                .invalidValue,
                "nothing to undo: every server was changed since by someone else and is left alone ("
                    + warnings.map { $0.replacing(" changed since by someone else", with: "") }
                    .joined(separator: "; ") + "); include them explicitly to restore them anyway")
        }
        let intent = ActionIntent(targets: targets, operation: .setAdmin(.ready))
        let impacts = impacts(of: projected, on: snapshot)
        var plan = ActionPlan(
            intent: intent, steps: steps, expectations: expectations, impacts: impacts,
            warnings: capacityWarnings(impacts) + warnings, before: recorded, label: "undo")
        plan.kind = .undo
        plan.basis = basis(of: impacts, in: snapshot)
        plan.leftAlone = leftAlone
        return plan
    }
}
