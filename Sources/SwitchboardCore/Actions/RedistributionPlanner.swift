import FoundationEssentials

/// Traffic redistribution across a backend's servers, as new weights with a preview.
public enum RedistributionPlanner {
    /// How to spread the load.
    public enum Strategy: Sendable, Hashable {
        /// The same weight for the chosen servers (all serving actives when empty); the other actives get 0.
        case even([String])
        /// Weights proportional to capacity: `maxconn` when every server has one, else the initial weight.
        case byCapacity
        /// Weights inverse to the current load for servers above `targetLoad` (sessions ÷ maxconn, or
        /// share of the backend's sessions), unchanged for the others.
        case shed(targetLoad: Double)
        /// Move `percent` points of the backend's traffic from some servers to others (shared by weight).
        case move(percent: Int, from: [String], to: [String])
    }

    /// One server's line in the preview.
    public struct Row: Sendable, Hashable {
        /// The server.
        public var server: String
        /// Weight before.
        public var weightBefore: Int
        /// Weight after.
        public var weightAfter: Int
        /// Projected share of new traffic before (0…1).
        public var shareBefore: Double
        /// Projected share after (0…1).
        public var shareAfter: Double
    }

    /// A previewed redistribution.
    public struct Plan: Sendable, Hashable {
        /// The backend.
        public var backend: String
        /// Per active server: weights and shares before → after.
        public var rows: [Row]
        /// The weights to send, verified and audited like any action.
        public var actions: ActionPlan
    }

    /// Plans `strategy` on `backend`; refuses impossible plans with the reason.
    public static func plan(_ strategy: Strategy, backend name: String, on snapshot: BalancerSnapshot) throws -> Plan {
        guard let backend = snapshot.backend(named: name) else {
            throw SwitchboardError(
                .noSuchBackend,
                "no backend '\(name)'; backends: " + snapshot.backends.map(\.name).joined(separator: ", "))
        }
        if let algorithm = backend.algorithm, ActionPlanner.staticAlgorithms.contains(algorithm) {
            throw SwitchboardError(
                .unsupported,
                "\(name) uses \(algorithm): HAProxy cannot change its weights at run time except to 0% or 100%")
        }
        let actives = backend.activeServers
        func server(_ name: String) throws -> Server {
            guard let found = actives.first(where: { $0.name == name }) else {
                throw SwitchboardError(
                    .noSuchServer,
                    "no active server '\(name)' in \(backend.name); actives: "
                        + actives.map(\.name).joined(separator: ", "))
            }
            return found
        }
        func requireServing(_ servers: [Server]) throws {
            for server in servers
            where !(server.admin.mode == .ready && (server.health == .up || server.health == .starting)) {
                throw SwitchboardError(
                    .unsupported, "\(server.id) is \(server.status.text): it cannot take traffic; ready it first")
            }
        }
        var weights = Dictionary(uniqueKeysWithValues: actives.map { ($0.name, $0.weight) })
        switch strategy {
        case .even(let names):
            let chosen = names.isEmpty ? actives.filter(\.isServing) : try names.map(server)
            try requireServing(chosen)
            guard !chosen.isEmpty else {
                throw SwitchboardError(.unsupported, "\(name) has no serving active server to spread over")
            }
            for active in actives { weights[active.name] = chosen.contains { $0.name == active.name } ? 100 : 0 }
        case .byCapacity:
            let pool = actives.filter(\.isServing)
            guard !pool.isEmpty else { throw SwitchboardError(.unsupported, "\(name) has no serving active server") }
            let useLimits = pool.allSatisfy { ($0.sessionLimit ?? 0) > 0 }
            let capacity = Dictionary(
                uniqueKeysWithValues: pool.map {
                    ($0.name, useLimits ? $0.sessionLimit! : ($0.initialWeight ?? $0.weight))
                })
            let top = capacity.values.max() ?? 0
            guard top > 0 else { throw SwitchboardError(.unsupported, "every server of \(name) has capacity 0") }
            for active in actives {
                if let value = capacity[active.name] {
                    weights[active.name] = value == 0 ? 0 : max(1, Int((256.0 * Double(value) / Double(top)).rounded()))
                }
            }
        case .shed(let target):
            guard target > 0, target <= 1 else {
                throw SwitchboardError(.invalidValue, "--shed takes a load between 0 and 1 (e.g. 0.7)")
            }
            let pool = actives.filter(\.isServing)
            let total = pool.reduce(0) { $0 + $1.sessions }
            for server in pool {
                let load: Double
                if let limit = server.sessionLimit, limit > 0 {
                    load = Double(server.sessions) / Double(limit)
                } else {
                    load = total > 0 ? Double(server.sessions) / Double(total) * Double(pool.count) / 2 : 0
                }
                if load > target {
                    weights[server.name] = min(256, max(1, Int((Double(server.weight) * target / load).rounded())))
                }
            }
        case .move(let percent, let fromNames, let toNames):
            guard (1...100).contains(percent) else {
                throw SwitchboardError(.invalidValue, "--move takes 1–100 (percent of the backend's traffic)")
            }
            let from = try fromNames.map(server), to = try toNames.map(server)
            guard !from.isEmpty, !to.isEmpty, Set(fromNames).isDisjoint(with: toNames) else {
                throw SwitchboardError(.invalidValue, "--move needs --from and --to, with no server in both")
            }
            try requireServing(to)
            let shares = projectedShares(backend, weights: weights)
            let fromShare = from.reduce(0.0) { $0 + (shares[$1.name] ?? 0) }
            let moved = Double(percent) / 100
            guard moved <= fromShare + 1e-9 else {
                throw SwitchboardError(
                    .unsupported,
                    "the --from servers carry only \(Int((fromShare * 100).rounded()))% of \(name)'s traffic; cannot move \(percent)%"
                )
            }
            var target = shares
            for server in from { target[server.name] = (shares[server.name] ?? 0) * (1 - moved / fromShare) }
            let toWeight = to.reduce(0) { $0 + max(1, $1.weight) }
            for server in to {
                target[server.name] =
                    (shares[server.name] ?? 0) + moved * Double(max(1, server.weight)) / Double(toWeight)
            }
            // Weights proportional to the target shares, scaled so the largest is 256 (finest rounding).
            let largest = target.values.max() ?? 0
            for active in actives where target[active.name] != nil {
                weights[active.name] = largest > 0 ? Int((256 * target[active.name]! / largest).rounded()) : 0
            }
        }
        for (server, weight) in weights where !(0...256).contains(weight) {
            throw SwitchboardError(.invalidValue, "the plan needs weight \(weight) for \(server), outside 0–256")
        }
        let servingAfter = actives.filter { $0.isServingIgnoringWeight && (weights[$0.name] ?? 0) > 0 }
        guard !servingAfter.isEmpty else {
            throw SwitchboardError(
                .unsupported, "the plan leaves every active server of \(name) at weight 0 (or not serving)")
        }
        let before = projectedShares(
            backend, weights: Dictionary(uniqueKeysWithValues: actives.map { ($0.name, $0.weight) }))
        let after = projectedShares(backend, weights: weights)
        let rows = actives.map { server in
            Row(
                server: server.name, weightBefore: server.weight, weightAfter: weights[server.name] ?? server.weight,
                shareBefore: before[server.name] ?? 0, shareAfter: after[server.name] ?? 0)
        }
        var steps: [ServerAction] = []
        var expectations: [ActionPlan.Expectation] = []
        var states: [ActionPlan.ServerState] = []
        var targets: [ServerRef] = []
        for row in rows where row.weightAfter != row.weightBefore {
            let ref = try ServerRef(backend: name, server: row.server)
            targets.append(ref)
            steps.append(.setWeight(ref, try .validatedAbsolute(row.weightAfter)))
            expectations.append(.weight(ref.id, row.weightAfter))
            if let server = actives.first(where: { $0.name == row.server }) {
                states.append(ActionPlan.ServerState(server))
            }
        }
        guard !steps.isEmpty else {
            throw SwitchboardError(.alreadyAsAsked, "the weights already match this plan; nothing to send")
        }
        var projected: [ServerID: Server] = [:]
        for server in actives {
            var copy = server; copy.weight = weights[server.name] ?? server.weight; projected[server.id] = copy
        }
        let actions = ActionPlan(
            intent: ActionIntent(targets: targets, operation: .setWeight(absolute: nil, percent: nil)), steps: steps,
            expectations: expectations, impacts: ActionPlanner.impacts(of: projected, on: snapshot), warnings: [],
            before: states, label: "redistribute \(name)")
        var guarded = actions
        guarded.kind = .redistribute
        guarded.basis = ActionPlanner.basis(of: guarded.impacts, in: snapshot)
        return Plan(backend: name, rows: rows, actions: guarded)
    }

    /// Each active server's share of new traffic for given weights: weight ÷ total weight of the serving actives.
    public static func projectedShares(_ backend: Backend, weights: [String: Int]) -> [String: Double] {
        let pool = backend.activeServers.filter(\.isServingIgnoringWeight)
        let total = pool.reduce(0) { $0 + (weights[$1.name] ?? 0) }
        var shares: [String: Double] = [:]
        for server in backend.activeServers {
            shares[server.name] =
                total > 0 && pool.contains { $0.name == server.name }
                ? Double(weights[server.name] ?? 0) / Double(total) : 0
        }
        return shares
    }
}

extension Server {
    /// Ready and healthy, whatever the weight.
    public var isServingIgnoringWeight: Bool { admin.mode == .ready && (health == .up || health == .starting) }
}
