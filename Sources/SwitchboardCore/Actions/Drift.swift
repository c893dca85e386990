/// Which servers drift between nodes, and the state they should all have.
public enum Drift {
    /// What is compared: admin state and weight (health follows the checks, it is not set).
    public struct Key: Hashable, Sendable {
        /// Admin mode.
        public var admin: AdminMode
        /// User weight.
        public var weight: Int
    }

    /// What is compared of one server.
    public static func key(_ state: ActionPlan.ServerState) -> Key { Key(admin: state.admin, weight: state.weight) }

    /// For each drifting server in `scope` (a backend, a backend/server; empty: all): the state to bring
    /// the others to — `like`'s, or the most common one (a tie goes to the first node's).
    public static func reference(_ nodes: [(String, BalancerSnapshot)], like: String?, scope: [String]) throws
        -> [ServerID: ActionPlan.ServerState]
    {
        var order: [ServerID] = []
        var states: [ServerID: [(String, ActionPlan.ServerState)]] = [:]
        for (name, snapshot) in nodes {
            for server in snapshot.allServers {
                let id = server.id
                guard scope.isEmpty || scope.contains(id.backend) || scope.contains(id.description) else { continue }
                if states[id] == nil { order.append(id) }
                states[id, default: []].append((name, ActionPlan.ServerState(server)))
            }
        }
        for item in scope where !order.contains(where: { $0.backend == item || $0.description == item }) {
            throw SwitchboardError(.noSuchServer, "\(item): not on any balancer read")
        }
        var reference: [ServerID: ActionPlan.ServerState] = [:]
        for id in order {
            guard let seen = states[id], Set(seen.map { key($0.1) }).count > 1 else { continue }
            if let like {
                if let state = seen.first(where: { $0.0 == like })?.1 { reference[id] = state }
                continue
            }
            var counts: [Key: Int] = [:]
            for (_, state) in seen { counts[key(state), default: 0] += 1 }
            let best = counts.values.max() ?? 0
            reference[id] = seen.first { counts[key($0.1)] == best }?.1
        }
        return reference
    }

    /// The plan that brings one balancer's drifting servers to `reference` (nil: nothing differs there);
    /// `like` names the balancer the others follow (nil: the majority), for the label.
    public static func plan(
        _ reference: [ServerID: ActionPlan.ServerState], like: String?, on snapshot: BalancerSnapshot
    )
        throws -> ActionPlan?
    {
        let wanted = reference.values.compactMap { state -> ActionPlan.ServerState? in
            guard let server = snapshot.server(state.server) else { return nil }
            return key(ActionPlan.ServerState(server)) == key(state) ? nil : state
        }.sorted { $0.server < $1.server }
        guard !wanted.isEmpty else { return nil }
        var plan = try ActionPlanner.undo(wanted, on: snapshot)
        plan.label = "make consistent (" + (like.map { "like \($0)" } ?? "majority") + ")"
        return plan
    }
}
