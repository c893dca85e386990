/// The capacity a fleet-wide plan leaves, per backend over every balancer taking part:
/// `fleet be_web: 8/8 → 6/8 active serving; lb1 4/4 → 3/4, lb2 4/4 → 3/4`. One text for the console's dialog
/// and the command line's preview.
public enum FleetCapacity {
    /// One balancer taking part: its plan (nil when it has nothing to send) and the state it was made on.
    public struct Node: Sendable {
        /// The balancer's name.
        public var name: String
        /// Its plan, or nil.
        public var plan: ActionPlan?
        /// Its state.
        public var snapshot: BalancerSnapshot

        /// Makes a node.
        public init(name: String, plan: ActionPlan?, snapshot: BalancerSnapshot) {
            self.name = name
            self.plan = plan
            self.snapshot = snapshot
        }
    }

    /// One line per backend some plan touches; a node with nothing to send counts as it is.
    public static func lines(_ nodes: [Node]) -> [String] {
        var backends: [String] = []
        for node in nodes {
            for impact in node.plan?.impacts ?? [] where !backends.contains(impact.backend) {
                backends.append(impact.backend)
            }
        }
        return backends.map { backend in
            var before = 0, after = 0, total = 0
            var parts: [String] = []
            for node in nodes {
                let capacity: (before: Int, after: Int, total: Int)
                if let impact = node.plan?.impacts.first(where: { $0.backend == backend }) {
                    capacity = (impact.before.activeServing, impact.after.activeServing, impact.activeTotal)
                } else if let servers = node.snapshot.backend(named: backend)?.servers {
                    let actives = servers.filter { !$0.isBackup }
                    let serving = actives.filter(\.isServing).count
                    capacity = (serving, serving, actives.count)
                } else {
                    parts.append("\(node.name) has no \(backend)")
                    continue
                }
                before += capacity.before
                after += capacity.after
                total += capacity.total
                parts.append("\(node.name) \(capacity.before)/\(capacity.total) → \(capacity.after)/\(capacity.total)")
            }
            return "fleet \(backend): \(before)/\(total) → \(after)/\(total) active serving; "
                + parts.joined(separator: ", ")
        }
    }
}
