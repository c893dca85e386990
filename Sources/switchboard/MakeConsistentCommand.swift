import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardOps

/// `switchboard make-consistent`: drift repair. For each server that differs between the balancers picked
/// (admin state or weight), the other nodes are brought to one node's state (`--like NODE`) or to the
/// majority's; previewed per node and run like any fleet action (all or nothing, audited under one intent).
struct MakeConsistentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-consistent",
        abstract: "Bring drifting servers to the same admin state and weight on every balancer picked.")
    @Argument(help: "BACKEND or BACKEND/SERVER to repair (default: every server that drifts).") var scope: [String] = []
    @Option(name: .long, help: "The balancer whose state the others take (default: the majority's).") var like: String?
    @OptionGroup var options: ActionOptions

    func run() async throws {
        let options = self.options, scope = self.scope, like = self.like
        try await ExitCodes.reporting {
            for item in scope {
                if item.contains("/") {
                    _ = try ServerRef(parsing: item)
                } else {
                    _ = try ObjectName(item, kind: "backend")
                }
            }
            let picked = try await options.socket.resolveTargets()
            guard picked.count > 1 else {
                throw SwitchboardError(
                    .invalidValue,
                    "make-consistent compares several balancers: pick two or more (--group, --target, --socket)")
            }
            if let like, !picked.contains(where: { $0.name == like }) {
                throw SwitchboardError(
                    .invalidValue,
                    "--like \(like): not one of the balancers picked (\(picked.map(\.name).joined(separator: ", ")))")
            }
            let reached = try await FleetActionRunner.connect(options, picked: picked)
            defer { FleetActionRunner.close(reached) }
            let nodes = reached.compactMap { node in
                node.problem == nil ? node.snapshot.map { (node.target.name, $0) } : nil
            }
            let reference = try Drift.reference(nodes, like: like, scope: scope)
            if !options.json {
                print(
                    reference.isEmpty
                        ? "no server differs between the balancers read"
                        : "\(reference.count) server(s) differ; the others take "
                            + (like.map { "\($0)'s state" } ?? "the majority's state"))
            }
            let planned = reached.map { node in
                FleetActionRunner.plan(node, options: options) { snapshot in
                    let wanted = reference.values.compactMap { state -> ActionPlan.ServerState? in
                        guard let server = snapshot.server(state.server) else { return nil }
                        return Drift.key(ActionPlan.ServerState(server)) == Drift.key(state) ? nil : state
                    }.sorted { $0.server < $1.server }
                    guard !wanted.isEmpty else { return nil }
                    var plan = try ActionPlanner.undo(wanted, on: snapshot)
                    plan.label = "make consistent (" + (like.map { "like \($0)" } ?? "majority") + ")"
                    return plan
                }
            }
            try await FleetActionRunner.carryOut(planned, options: options)
        }
    }
}

/// Which servers drift between nodes, and the state they should all have.
enum Drift {
    /// What is compared: admin state and weight (health follows the checks, it is not set).
    struct Key: Hashable {
        var admin: AdminMode
        var weight: Int
    }

    static func key(_ state: ActionPlan.ServerState) -> Key { Key(admin: state.admin, weight: state.weight) }

    /// For each drifting server in `scope` (a backend, a backend/server; empty: all): the state to bring
    /// the others to — `like`'s, or the most common one (a tie goes to the first node's).
    static func reference(_ nodes: [(String, BalancerSnapshot)], like: String?, scope: [String]) throws
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
}
