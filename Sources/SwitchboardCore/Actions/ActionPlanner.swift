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
        var projected: [String: Server] = [:]
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
        for impact in impacts where impact.after.activeServing == 0 && impact.before.activeServing > 0 {
            let backups = impact.after.backupServing
            warnings.insert(
                backups > 0
                    ? "\(impact.backend) would have no active server serving: \(backups) backup(s) take all traffic"
                    : "\(impact.backend) would have NO server serving: clients get 503", at: 0)
        }
        return ActionPlan(
            intent: intent, steps: steps, expectations: expectations, impacts: impacts, warnings: warnings,
            before: before)
    }

    /// Capacity before and after for every backend a projected server belongs to.
    static func impacts(of projected: [String: Server], on snapshot: BalancerSnapshot) -> [BackendImpact] {
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
    public static func undo(_ before: [ActionPlan.ServerState], on snapshot: BalancerSnapshot) throws -> ActionPlan {
        var steps: [ServerAction] = []
        var expectations: [ActionPlan.Expectation] = []
        var projected: [String: Server] = [:]
        var targets: [ServerRef] = []
        var recorded: [ActionPlan.ServerState] = []
        for state in before {
            let parts = state.server.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let server = snapshot.server(parts[0], parts[1]) else {
                throw SwitchboardError(
                    .noSuchServer, "\(state.server) is no longer reported by the balancer; cannot undo")
            }
            let ref = try ServerRef(backend: parts[0], server: parts[1])
            targets.append(ref)
            recorded.append(ActionPlan.ServerState(server))
            var after = server
            if server.checksEnabled != state.checksEnabled {
                steps.append(.healthChecks(ref, enabled: state.checksEnabled))
                expectations.append(.checks(server.id, state.checksEnabled))
                after.checksEnabled = state.checksEnabled
            }
            if server.agentEnabled != state.agentEnabled {
                steps.append(.agentChecks(ref, enabled: state.agentEnabled))
                expectations.append(.agent(server.id, state.agentEnabled))
                after.agentEnabled = state.agentEnabled
            }
            if server.admin.mode != state.admin && !state.adminInherited {
                steps.append(.setAdmin(ref, state.admin))
                expectations.append(.admin(server.id, state.admin))
                after.admin = AdminState(mode: state.admin)
            }
            if server.weight != state.weight {
                steps.append(.setWeight(ref, try .validatedAbsolute(state.weight)))
                expectations.append(.weight(server.id, state.weight))
                after.weight = state.weight
            }
            if state.health == .up && server.health == .down && !state.checksEnabled && server.admin.mode != .maint {
                steps.append(.forceHealth(ref, .up))
                expectations.append(.health(server.id, .up))
            }
            projected[server.id] = after
        }
        let intent = ActionIntent(targets: targets, operation: .setAdmin(.ready))
        return ActionPlan(
            intent: intent, steps: steps, expectations: expectations, impacts: impacts(of: projected, on: snapshot),
            warnings: [], before: recorded, label: "undo")
    }
}
