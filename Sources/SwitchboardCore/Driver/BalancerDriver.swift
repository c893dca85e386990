/// What a balancer's runtime interface can do, so the console can grey out the rest.
///
/// HAProxy can do everything here; Apache's balancer-manager cannot kill sessions and its forced
/// health is transient; Varnish has no drain and no live weights (see `reference/other-balancers.md`).
public struct DriverCapabilities: OptionSet, Sendable, Hashable {
    /// The capability bits.
    public let rawValue: Int
    /// Makes a capability set from its raw bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Drain (no new sessions, current ones finish), distinct from maintenance.
    public static let drain = DriverCapabilities(rawValue: 1 << 0)
    /// Maintenance (out of service).
    public static let maintenance = DriverCapabilities(rawValue: 1 << 1)
    /// Weights change live, without a reload.
    public static let liveWeights = DriverCapabilities(rawValue: 1 << 2)
    /// Health can be forced up/down.
    public static let forceHealth = DriverCapabilities(rawValue: 1 << 3)
    /// A forced health state sticks even while checks run (otherwise the next check overwrites it).
    public static let stickyHealthForce = DriverCapabilities(rawValue: 1 << 4)
    /// Agent checks can be forced and toggled.
    public static let agentControl = DriverCapabilities(rawValue: 1 << 5)
    /// Health checks can be disabled and enabled.
    public static let toggleChecks = DriverCapabilities(rawValue: 1 << 6)
    /// A server's sessions can be killed.
    public static let killSessions = DriverCapabilities(rawValue: 1 << 7)
    /// Raw commands can be sent (the console's `:` prompt).
    public static let rawCommands = DriverCapabilities(rawValue: 1 << 8)
    /// Load figures are in-flight sessions (not only totals).
    public static let inFlightLoad = DriverCapabilities(rawValue: 1 << 9)
}

/// An operator's intent on one server, independent of any balancer's command syntax.
public enum ServerAction: Sendable, Hashable {
    /// Set the administrative mode: ready, drain or maint.
    case setAdmin(ServerRef, AdminMode)
    /// Set the weight.
    case setWeight(ServerRef, WeightValue)
    /// Force the health state.
    case forceHealth(ServerRef, RuntimeCommand.HealthForce)
    /// Force the agent state up or down.
    case forceAgent(ServerRef, up: Bool)
    /// Enable or disable health checks.
    case healthChecks(ServerRef, enabled: Bool)
    /// Enable or disable the agent check.
    case agentChecks(ServerRef, enabled: Bool)
    /// Close every session of the server.
    case killSessions(ServerRef)

    /// The server the action applies to.
    public var target: ServerRef {
        switch self {
        case .setAdmin(let ref, _), .setWeight(let ref, _), .forceHealth(let ref, _), .forceAgent(let ref, _),
            .healthChecks(let ref, _), .agentChecks(let ref, _), .killSessions(let ref):
            ref
        }
    }
}

/// What a driver did for one action or raw command: the exact lines sent and the replies, for the audit log.
public struct CommandExchange: Sendable, Hashable, Codable {
    /// The command line as sent.
    public var command: String
    /// The balancer's reply, without the prompt and severity tag.
    public var reply: String

    /// Makes an exchange record.
    public init(command: String, reply: String) {
        self.command = command
        self.reply = reply
    }
}

/// A balancer's runtime control interface. HAProxy is the first implementation; others (Apache
/// balancer-manager, Varnish) fit behind the same protocol and report what they can do in
/// ``capabilities``.
///
/// Implementations hold at most one connection to the balancer, put a timeout on every exchange and
/// reconnect by themselves (e.g. after a reload).
public protocol BalancerDriver: Sendable {
    /// What this driver can do.
    var capabilities: DriverCapabilities { get }
    /// Connects (if needed) and returns who the balancer is, including the access level.
    func connect() async throws -> BalancerInfo
    /// Reads everything: identity, frontends, backends, servers.
    func snapshot() async throws -> BalancerSnapshot
    /// Reads the balancer for a console that shows `backends`: a driver may poll those in full and the
    /// rest more cheaply (HAProxy: servers' states only, every few seconds). Defaults to ``snapshot()``.
    func snapshot(focusing backends: [String]) async throws -> BalancerSnapshot
    /// Performs one action; throws the balancer's refusal as a ``SwitchboardError``.
    func perform(_ action: ServerAction) async throws -> CommandExchange
    /// Sends a raw command (the console's `:` prompt); throws on refusal.
    func execute(_ command: RuntimeCommand) async throws -> CommandExchange
    /// Closes the connection.
    func close() async
}

extension BalancerDriver {
    /// Reads everything; drivers without a cheaper way to poll use this.
    public func snapshot(focusing backends: [String]) async throws -> BalancerSnapshot {
        try await snapshot()
    }
}
