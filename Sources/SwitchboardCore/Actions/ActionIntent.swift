/// What an operator wants done to one or more servers, before it is checked against the balancer.
public struct ActionIntent: Sendable, Hashable {
    /// The operation.
    public enum Operation: Sendable, Hashable {
        /// Set the admin mode (ready, drain, maint).
        case setAdmin(AdminMode)
        /// Set the weight: absolute or percent of the initial weight.
        case setWeight(absolute: Int?, percent: Int?)
        /// Force the health state up or down.
        case forceHealth(up: Bool)
        /// Force the agent state up or down.
        case forceAgent(up: Bool)
        /// Enable or disable health checks.
        case healthChecks(enabled: Bool)
        /// Enable or disable the agent check.
        case agentChecks(enabled: Bool)
        /// Close every session of the server.
        case killSessions

        /// A short verb for messages and the audit log: `drain`, `weight 50%`, `health down`…
        public var verb: String {
            switch self {
            case .setAdmin(let mode): mode.rawValue
            case .setWeight(let absolute, let percent): "weight " + (absolute.map(String.init) ?? "\(percent ?? 0)%")
            case .forceHealth(let up): "health \(up ? "up" : "down")"
            case .forceAgent(let up): "agent \(up ? "up" : "down")"
            case .healthChecks(let enabled): "\(enabled ? "enable" : "disable") health checks"
            case .agentChecks(let enabled): "\(enabled ? "enable" : "disable") agent checks"
            case .killSessions: "kill sessions"
            }
        }

        /// The weight to send, range-checked.
        func weightValue() throws -> WeightValue? {
            guard case .setWeight(let absolute, let percent) = self else { return nil }
            if let absolute { return try .validatedAbsolute(absolute) }
            return try .validatedPercent(percent ?? 100)
        }
    }

    /// The servers, as `backend/server`.
    public var targets: [ServerRef]
    /// The operation.
    public var operation: Operation
    /// Also disable the agent check first (so an agent answering `ready` cannot undo a drain/maint).
    public var disableAgentFirst: Bool
    /// Also disable health checks first (so a forced health state sticks).
    public var disableChecksFirst: Bool

    /// Makes an intent.
    public init(
        targets: [ServerRef], operation: Operation, disableAgentFirst: Bool = false, disableChecksFirst: Bool = false
    ) {
        self.targets = targets
        self.operation = operation
        self.disableAgentFirst = disableAgentFirst
        self.disableChecksFirst = disableChecksFirst
    }

    /// A weight intent parsed from `50` or `50%`.
    public static func weight(_ targets: [ServerRef], _ text: String) throws -> ActionIntent {
        switch try WeightValue(parsing: text) {
        case .absolute(let value): ActionIntent(targets: targets, operation: .setWeight(absolute: value, percent: nil))
        case .percent(let value): ActionIntent(targets: targets, operation: .setWeight(absolute: nil, percent: value))
        }
    }

    /// Every server named `name` (or whose address is `name`) in every backend: "this server everywhere".
    public static func everywhere(_ name: String, in snapshot: BalancerSnapshot) -> [ServerRef] {
        snapshot.allServers.filter {
            $0.name == name || (!$0.address.isEmpty && ($0.address == name || $0.address.hasPrefix(name + ":")))
        }
        .compactMap { try? ServerRef(backend: $0.backend, server: $0.name) }
    }
}
