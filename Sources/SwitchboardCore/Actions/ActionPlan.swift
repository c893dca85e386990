/// An intent checked against a snapshot: the exact actions to send, what each server should look like
/// afterwards (for verification), the impact on capacity, and the warnings an operator must see first.
public struct ActionPlan: Sendable, Hashable {
    /// The intent.
    public var intent: ActionIntent
    /// The actions, in sending order.
    public var steps: [ServerAction]
    /// What must be observed afterwards, per server.
    public var expectations: [Expectation]
    /// Capacity before and after, per backend touched.
    public var impacts: [BackendImpact]
    /// Things the operator must know (agent will undo it, checks will overwrite it…).
    public var warnings: [String]
    /// The servers' state before, for undo and the audit log.
    public var before: [ServerState]
    /// What the plan does, in words (`drain`, `weight 50%`, `undo`).
    public var label: String
    /// What kind of plan it is: what the console does after it (record a failover, step a fail back…).
    public var kind: Kind = .action

    /// The kinds of plan.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// One operation on servers (drain, ready, maint, weight, health, agent, kill sessions).
        case action
        /// Undo of the last action.
        case undo
        /// A manual failover onto backups or the kept servers.
        case failover
        /// A fail back (whole, or one step of a gradual one).
        case failback
        /// A redistribution of a backend's traffic.
        case redistribute
        /// The manual changes a reload undid, put back.
        case reapply
    }
    /// Facts for the preview that are not warnings (e.g. who takes over in a failover).
    public var notes: [String] = []
    /// The state the plan was computed from: every server of every backend it touches. Compared with the
    /// newest snapshot just before sending (compare-and-set, see ``ActionPlanner/recheck(_:on:)``).
    public var basis: [ServerState] = []
    /// What changed on the balancer since the operator was first shown this plan (empty at first).
    public var changes: [String] = []
    /// Undo and fail back: servers changed since by someone else, which the plan leaves alone.
    public var leftAlone: [ServerID] = []

    /// Several plans as one intent: one confirmation, one verification, one audit record, one undo.
    public static func merged(_ plans: [ActionPlan], label: String, kind: Kind? = nil) -> ActionPlan {
        var merged = plans[0]
        for plan in plans.dropFirst() {
            merged.intent.targets += plan.intent.targets
            merged.steps += plan.steps
            merged.expectations += plan.expectations
            merged.impacts += plan.impacts
            merged.warnings += plan.warnings
            merged.before += plan.before
            merged.notes += plan.notes
            let known = Set(merged.basis.map(\.server))
            merged.basis += plan.basis.filter { !known.contains($0.server) }
        }
        merged.label = label
        merged.kind = kind ?? plans[0].kind
        return merged
    }

    /// Makes a plan; most come from ``ActionPlanner``.
    public init(
        intent: ActionIntent, steps: [ServerAction], expectations: [Expectation], impacts: [BackendImpact],
        warnings: [String], before: [ServerState], label: String? = nil
    ) {
        self.intent = intent
        self.steps = steps
        self.expectations = expectations
        self.impacts = impacts
        self.warnings = warnings
        self.before = before
        self.label = label ?? intent.operation.verb
    }

    /// True when it removes capacity (drain, maint, lower weight, health/agent down, kill): confirm first.
    public var reducesCapacity: Bool { impacts.contains { $0.reducesCapacity } || intent.operation == .killSessions }
    /// True when a backend would be left without any active server serving: needs the backend's name typed.
    public var leavesBackendWithoutActiveServers: Bool { !emptiedBackends.isEmpty }

    /// The backends this plan leaves without an active server serving (they had one): the one rule behind the
    /// typed-name confirmation in the console and `--confirm BACKEND` on the command line.
    public var emptiedBackends: [String] {
        impacts.filter(\.leavesNoActiveServing).map(\.backend)
    }
    /// Sessions on the servers touched, when it reduces capacity.
    public var sessionsAffected: Int { before.reduce(0) { $0 + $1.sessions } }

    /// A server's state as recorded before an action.
    public struct ServerState: Sendable, Hashable, Codable {
        /// The server.
        public var server: ServerID
        /// Admin mode.
        public var admin: AdminMode
        /// True when the mode was inherited (a tracked server), which undo must not "restore".
        public var adminInherited: Bool
        /// Weight (user weight).
        public var weight: Int
        /// Health.
        public var health: Health
        /// Health checks enabled.
        public var checksEnabled: Bool
        /// Agent check enabled.
        public var agentEnabled: Bool
        /// Current sessions.
        public var sessions: Int
        /// HAProxy's status text.
        public var status: String

        /// Records a server.
        public init(_ server: Server) {
            self.server = server.id
            admin = server.admin.mode
            adminInherited = server.admin.inherited
            weight = server.weight
            health = server.health
            checksEnabled = server.checksEnabled
            agentEnabled = server.agentEnabled
            sessions = server.sessions
            status = server.status.text
        }
    }

    /// What verification waits for on one server.
    public enum Expectation: Sendable, Hashable {
        /// Admin mode equals.
        case admin(ServerID, AdminMode)
        /// User weight equals.
        case weight(ServerID, Int)
        /// Health equals.
        case health(ServerID, Health)
        /// Health checks enabled or not.
        case checks(ServerID, Bool)
        /// Agent check enabled or not.
        case agent(ServerID, Bool)

        /// The server it is about.
        public var server: ServerID {
            switch self {
            case .admin(let id, _), .weight(let id, _), .health(let id, _), .checks(let id, _), .agent(let id, _): id
            }
        }

        /// True when `snapshot` shows it.
        public func isMet(in snapshot: BalancerSnapshot) -> Bool {
            guard let found = snapshot.server(server) else { return false }
            switch self {
            case .admin(_, let mode): return found.admin.mode == mode
            case .weight(_, let weight): return found.weight == weight
            case .health(_, let health): return found.health == health
            case .checks(_, let enabled): return found.checksEnabled == enabled
            case .agent(_, let enabled): return found.agentEnabled == enabled
            }
        }

        /// What is expected, in words.
        public var description: String {
            switch self {
            case .admin(let id, let mode): "\(id) admin \(mode.rawValue)"
            case .weight(let id, let weight): "\(id) weight \(weight)"
            case .health(let id, let health): "\(id) health \(health.rawValue)"
            case .checks(let id, let enabled): "\(id) checks \(enabled ? "enabled" : "disabled")"
            case .agent(let id, let enabled): "\(id) agent \(enabled ? "enabled" : "disabled")"
            }
        }
    }
}

/// A backend's serving capacity before and after a plan.
public struct BackendImpact: Sendable, Hashable {
    /// True when the backend had an active server serving and would have none: the rule behind every guard
    /// (the preview's warning, the console's typed name, the command line's `--confirm BACKEND`).
    public var leavesNoActiveServing: Bool { after.activeServing == 0 && before.activeServing > 0 }

    /// Serving capacity at one moment.
    public struct Capacity: Sendable, Hashable {
        /// Active servers serving (ready, healthy, weight > 0).
        public var activeServing: Int
        /// Their total weight.
        public var activeWeight: Int
        /// Backup servers serving.
        public var backupServing: Int
    }

    /// The backend.
    public var backend: String
    /// Before.
    public var before: Capacity
    /// After, as projected.
    public var after: Capacity
    /// Active servers in the backend.
    public var activeTotal: Int

    /// True when capacity goes down.
    public var reducesCapacity: Bool {
        after.activeServing < before.activeServing || after.activeWeight < before.activeWeight
            || after.backupServing < before.backupServing
    }

    /// `be_web: 4/4 active up (weight 400) → 3/4 (weight 300)`.
    public var summary: String {
        "\(backend): \(before.activeServing)/\(activeTotal) active serving (weight \(before.activeWeight)) → "
            + "\(after.activeServing)/\(activeTotal) (weight \(after.activeWeight))"
    }
}
