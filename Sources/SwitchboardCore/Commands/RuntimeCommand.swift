/// One command line for HAProxy's Runtime API, built only from validated parts.
///
/// There is no public initializer from an arbitrary string for writes: every name is an
/// ``ObjectName`` and every number is range-checked, so nothing the user typed can smuggle a `;` or a
/// second word into the socket. ``raw(_:)`` exists for the console's raw prompt and refuses line breaks.
public struct RuntimeCommand: Sendable, Hashable, CustomStringConvertible {
    /// The exact line sent, without the trailing newline.
    public let line: String
    /// True when the command changes the balancer's state.
    public let isWrite: Bool

    init(_ line: String, isWrite: Bool) {
        self.line = line
        self.isWrite = isWrite
    }

    /// The text shown to people.
    public var description: String { line }

    // MARK: Reads

    /// `show info`.
    public static let showInfo = RuntimeCommand("show info", isWrite: false)
    /// `show cli level`.
    public static let showCLILevel = RuntimeCommand("show cli level", isWrite: false)

    /// What `show stat` should return.
    public struct StatFilter: Sendable, Hashable {
        /// Which object types: bit mask 1 frontends, 2 backends, 4 servers.
        public var types: Int
        /// One proxy by numeric id, or nil for all.
        public var proxyID: Int?

        /// Every row.
        public static let all = StatFilter(types: -1, proxyID: nil)
        /// Only BACKEND rows: cheap even at 10,000 servers.
        public static let backendsOnly = StatFilter(types: 2, proxyID: nil)
        /// Only FRONTEND rows.
        public static let frontendsOnly = StatFilter(types: 1, proxyID: nil)
        /// The servers of one backend, by its numeric id.
        public static func servers(ofProxy id: Int) -> StatFilter { StatFilter(types: 4, proxyID: id) }

        /// Makes a filter.
        public init(types: Int, proxyID: Int?) {
            self.types = types
            self.proxyID = proxyID
        }
    }

    /// `show stat` with an optional filter (the filter comes before any format word, or HAProxy ignores it).
    public static func showStat(_ filter: StatFilter = .all) -> RuntimeCommand {
        if filter == .all { return RuntimeCommand("show stat", isWrite: false) }
        return RuntimeCommand("show stat \(filter.proxyID ?? -1) \(filter.types) -1", isWrite: false)
    }

    /// `show servers state [backend]`.
    public static func showServersState(backend: ObjectName? = nil) -> RuntimeCommand {
        RuntimeCommand(["show servers state", backend?.value].compactMap { $0 }.joined(separator: " "), isWrite: false)
    }

    /// `get weight B/S`.
    public static func getWeight(_ server: ServerRef) -> RuntimeCommand {
        RuntimeCommand("get weight \(server)", isWrite: false)
    }

    // MARK: Writes

    /// `set server B/S state ready|drain|maint`.
    public static func setState(_ server: ServerRef, _ mode: AdminMode) -> RuntimeCommand {
        RuntimeCommand("set server \(server) state \(mode.rawValue)", isWrite: true)
    }

    /// `set server B/S weight N|N%`.
    public static func setWeight(_ server: ServerRef, _ weight: WeightValue) -> RuntimeCommand {
        RuntimeCommand("set server \(server) weight \(weight)", isWrite: true)
    }

    /// A forced health state.
    public enum HealthForce: String, Sendable, Hashable, CaseIterable {
        /// `up`.
        case up
        /// `stopping` (NOLB).
        case stopping
        /// `down`.
        case down
    }

    /// `set server B/S health up|stopping|down` (overwritten by the next checks unless they are disabled).
    public static func setHealth(_ server: ServerRef, _ health: HealthForce) -> RuntimeCommand {
        RuntimeCommand("set server \(server) health \(health.rawValue)", isWrite: true)
    }

    /// `set server B/S agent up|down`.
    public static func setAgent(_ server: ServerRef, up: Bool) -> RuntimeCommand {
        RuntimeCommand("set server \(server) agent \(up ? "up" : "down")", isWrite: true)
    }

    /// `enable health B/S` / `disable health B/S`.
    public static func healthChecks(_ server: ServerRef, enabled: Bool) -> RuntimeCommand {
        RuntimeCommand("\(enabled ? "enable" : "disable") health \(server)", isWrite: true)
    }

    /// `enable agent B/S` / `disable agent B/S`.
    public static func agentChecks(_ server: ServerRef, enabled: Bool) -> RuntimeCommand {
        RuntimeCommand("\(enabled ? "enable" : "disable") agent \(server)", isWrite: true)
    }

    /// `shutdown sessions server B/S`.
    public static func shutdownSessions(_ server: ServerRef) -> RuntimeCommand {
        RuntimeCommand("shutdown sessions server \(server)", isWrite: true)
    }

    /// `set maxconn server B/S N`; N ≥ 0 (0 = unlimited). HAProxy accepts -5 and wraps it, so it is refused here.
    public static func setMaxConnections(_ server: ServerRef, _ value: Int) throws -> RuntimeCommand {
        guard value >= 0, value <= 1_000_000 else {
            throw SwitchboardError(.invalidValue, "maxconn \(value) is out of range: give 0 (unlimited) to 1000000")
        }
        return RuntimeCommand("set maxconn server \(server) \(value)", isWrite: true)
    }

    /// `set server B/S addr IP port P`; P in 1…65535 (HAProxy wraps 99999 to 34463), IP a literal IPv4/IPv6.
    public static func setAddress(_ server: ServerRef, ip: String, port: Int) throws -> RuntimeCommand {
        guard (1...65535).contains(port) else {
            throw SwitchboardError(.invalidValue, "port \(port) is out of range: give 1–65535")
        }
        guard !ip.isEmpty, ip.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":" })
        else {
            throw SwitchboardError(.invalidValue, "'\(ip)' is not an IP address (HAProxy does not resolve names here)")
        }
        return RuntimeCommand("set server \(server) addr \(ip) port \(port)", isWrite: true)
    }

    /// A line typed by the operator at the raw prompt. Line breaks are refused; `;` is refused too,
    /// because it would run several commands under one confirmation.
    public static func raw(_ text: String) throws -> RuntimeCommand {
        let line = text.trimmingCharacters(in: " ")
        guard !line.isEmpty else { throw SwitchboardError(.invalidValue, "the command is empty") }
        guard !line.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw SwitchboardError(.invalidValue, "a command cannot contain a line break")
        }
        guard !line.contains(";") else {
            throw SwitchboardError(
                .invalidValue, "';' would run several commands under one confirmation: send them one at a time")
        }
        let isRead = line.hasPrefix("show ") || line.hasPrefix("get ") || line == "help" || line.hasPrefix("help ")
        return RuntimeCommand(line, isWrite: !isRead)
    }
}

extension RuntimeCommand {
    /// The Runtime API command for an operator's intent on one server.
    public init(for action: ServerAction) {
        switch action {
        case .setAdmin(let server, let mode): self = .setState(server, mode)
        case .setWeight(let server, let weight): self = .setWeight(server, weight)
        case .forceHealth(let server, let health): self = .setHealth(server, health)
        case .forceAgent(let server, let up): self = .setAgent(server, up: up)
        case .healthChecks(let server, let enabled): self = .healthChecks(server, enabled: enabled)
        case .agentChecks(let server, let enabled): self = .agentChecks(server, enabled: enabled)
        case .killSessions(let server): self = .shutdownSessions(server)
        }
    }
}
