import SwitchboardCore
import SwitchboardOps

/// One intent planned on every balancer in the fleet view, each on its own latest snapshot: what the fleet
/// dialog previews and the runtime runs (``SwitchboardOps/FleetExecutor``).
public struct FleetProposal: Hashable, Sendable {
    /// One balancer's part.
    public struct Node: Hashable, Sendable {
        /// The balancer.
        public var id: BalancerID
        /// Its label.
        public var label: String
        /// Its plan; nil when it cannot take part or has nothing to send.
        public var plan: ActionPlan?
        /// Why it cannot take part (no data, stale, read-only, below admin, the server missing there).
        public var problem: String?
    }

    /// The intent's label (`drain`, `weight 50`, …).
    public var label: String
    /// Every balancer in view, in order.
    public var nodes: [Node]
    /// The fleet totals (``SwitchboardCore/FleetCapacity``).
    public var totals: [String]
    /// Balancers the operator left out (`x`): nothing is sent there.
    public var excluded: Set<BalancerID> = []
    /// For drift repair: what is repaired and after whom, so that a digit can re-plan it like another node.
    public var repair: DriftRepair?

    /// A drift repair's scope (`backend` or `backend/server` names) and the balancer the others follow
    /// (nil: the majority).
    public struct DriftRepair: Hashable, Sendable {
        /// What is repaired.
        public var scope: [String]
        /// The balancer whose state the others take; nil for the majority's.
        public var like: BalancerID?
    }

    /// The nodes that will get commands.
    public var taking: [Node] {
        nodes.filter { $0.problem == nil && !excluded.contains($0.id) && !($0.plan?.steps.isEmpty ?? true) }
    }
    /// The nodes that cannot take part and are not excluded: the dialog refuses until they are.
    public var blocking: [Node] { nodes.filter { $0.problem != nil && !excluded.contains($0.id) } }
    /// The problem of a node whose last action's result came after its last read.
    public static let rereading = "reading it again after the last action — press the key again in a moment"
    /// True when some node's plan reduces capacity.
    public var reducesCapacity: Bool { taking.contains { $0.plan?.reducesCapacity ?? false } }
    /// A backend some node would leave with no active server serving: its name must be typed.
    public var requiredName: String? { taking.lazy.compactMap { $0.plan.flatMap(Dialog.requiredName) }.first }

    /// Plans `intent` on every balancer in focus.
    public static func make(_ intent: ActionIntent, label: String, in model: ConsoleModel) -> FleetProposal {
        make(label: label, in: model) { _, snapshot in
            if let missing = intent.targets.first(where: { snapshot.server($0) == nil }) {
                throw SwitchboardError(.noSuchServer, "no server \(missing) there")
            }
            return try ActionPlanner.plan(intent, on: snapshot)
        }
    }

    /// Plans with `plan` on every balancer in focus that can take part; `plan` returns nil when a balancer
    /// has nothing to do, and throws (its message becomes the node's problem) when it cannot take part.
    public static func make(
        label: String, in model: ConsoleModel, _ plan: (BalancerID, BalancerSnapshot) throws -> ActionPlan?
    ) -> FleetProposal {
        var capacity: [FleetCapacity.Node] = []
        let nodes = model.focusedIndices.map { index -> Node in
            let balancer = model.balancers[index]
            var node = Node(id: balancer.id, label: balancer.profile.label)
            guard let snapshot = balancer.snapshot else {
                node.problem = "no data from it yet"
                return node
            }
            if balancer.isStale(now: model.now, interval: model.interval) {
                node.problem = "STALE: not answering"
            } else if balancer.awaitsReadAfterAction {
                node.problem = rereading
            } else if balancer.profile.readOnly {
                node.problem = "read_only in the targets file"
            } else if !snapshot.info.level.canChangeServers {
                node.problem = "socket level \(snapshot.info.level.rawValue): actions need admin"
            } else {
                do {
                    node.plan = try plan(balancer.id, snapshot)
                } catch let error as SwitchboardError {
                    node.problem = error.message
                } catch {
                    node.problem = "\(error)"
                }
            }
            if node.problem == nil {
                capacity.append(FleetCapacity.Node(name: node.label, plan: node.plan, snapshot: snapshot))
            }
            return node
        }
        return FleetProposal(label: label, nodes: nodes, totals: FleetCapacity.lines(capacity))
    }
}

/// The per-node result of a fleet-wide action, as the console shows it.
public struct FleetResultTable: Hashable, Sendable {
    /// One balancer's line.
    public struct Row: Hashable, Sendable {
        /// The balancer's label.
        public var label: String
        /// `✓`, `✗`, `⏱`, `↩`, `–`.
        public var symbol: String
        /// `verified`, `refused`, `rolled-back`, ….
        public var status: String
        /// In words.
        public var detail: String
    }

    /// The intent's id in the audit log.
    public var intentID: String
    /// The summary line.
    public var headline: String
    /// True when every node verified.
    public var succeeded: Bool
    /// Per node.
    public var rows: [Row]

    /// The table of `report`, whose node names are balancer ids; `labels` gives their labels.
    public init(_ report: FleetExecutor.Report, label: String, labels: [String: String] = [:]) {
        intentID = report.intentID
        succeeded = report.allVerified
        rows = report.nodes.map {
            Row(
                label: labels[$0.name] ?? $0.name, symbol: FleetExecutor.symbol($0.status), status: $0.status.rawValue,
                detail: $0.detail == $0.status.rawValue ? "" : $0.detail)
        }
        if report.allVerified {
            headline = "✓ \(label) — verified on every balancer (\(report.nodes.count))"
        } else if report.nodes.contains(where: \.applied) {
            headline =
                "✗ \(label) — PARTLY APPLIED: in place on "
                + report.nodes.filter(\.applied).map { labels[$0.name] ?? $0.name }.joined(separator: ", ") + " only"
        } else if report.rolledBack {
            headline = "✗ \(label) — a balancer failed; every balancer that had applied was rolled back"
        } else {
            headline = "✗ \(label) — refused on every balancer; nothing applied"
        }
    }
}
