import ArgumentParser
import FoundationEssentials
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

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
                    try Drift.plan(reference, like: like, on: snapshot)
                }
            }
            try await FleetActionRunner.carryOut(planned, options: options)
        }
    }
}
