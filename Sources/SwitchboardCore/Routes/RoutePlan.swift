/// One map entry changed by a route plan: its value before and after (nil: the entry is absent).
public struct RouteChange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The map, as commands name it.
    public var map: MapReference
    /// The entry's key.
    public var key: String
    /// Its value before (nil: it did not exist).
    public var before: String?
    /// Its value after (nil: it is removed).
    public var after: String?

    /// Makes a change.
    public init(map: MapReference, key: String, before: String?, after: String?) {
        self.map = map
        self.key = key
        self.before = before
        self.after = after
    }

    /// `hosts.map www.example: be_web → be_web_standby` (the map's file name only).
    public var description: String {
        let file = map.value.split(separator: "/").last.map(String.init) ?? map.value
        return "\(file) \(key): \(before ?? "(none)") → \(after ?? "(removed)")"
    }

    /// The command that makes this change.
    public func command() throws -> RuntimeCommand {
        let key = try RouteToken(self.key)
        switch (before, after) {
        case (_, nil): return .deleteMap(map, key)
        case (nil, let value?): return .addMap(map, key, try RouteToken(value, role: "value"))
        case (_?, let value?): return .setMap(map, key, try RouteToken(value, role: "value"))
        }
    }

    /// The change that undoes this one.
    public var reversed: RouteChange { RouteChange(map: map, key: key, before: after, after: before) }
}

/// A previewed change of routes on one balancer: the entries before → after, what the target backends can take,
/// and what must be confirmed. Compare-and-set: every entry's `before` is checked against a fresh read just
/// before sending.
public struct RoutePlan: Sendable, Hashable, Codable {
    /// What was intended, for the audit log (`route set hosts.map www.example be_web_standby`).
    public var label: String
    /// The entries changed.
    public var changes: [RouteChange]
    /// The backends the changed routes will send to, each with what it can serve now.
    public var targets: [BackendReadiness]
    /// Warnings shown before confirming.
    public var warnings: [String]
    /// A backend the operator must type to confirm (a target with no server serving), or nil.
    public var typedConfirmation: String?

    /// Makes a plan.
    public init(
        label: String, changes: [RouteChange], targets: [BackendReadiness], warnings: [String] = [],
        typedConfirmation: String? = nil
    ) {
        self.label = label
        self.changes = changes
        self.targets = targets
        self.warnings = warnings
        self.typedConfirmation = typedConfirmation
    }

    /// The command lines it sends, in order.
    public func commands() throws -> [RuntimeCommand] { try changes.map { try $0.command() } }
}

/// What a backend a route is about to point at can serve: servers serving of those it has, and its rate.
public struct BackendReadiness: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The backend.
    public var backend: String
    /// Servers serving (UP and taking traffic).
    public var serving: Int
    /// Servers it has.
    public var servers: Int
    /// Sessions per second now.
    public var rate: Int

    /// Makes a readiness line.
    public init(backend: String, serving: Int, servers: Int, rate: Int) {
        self.backend = backend
        self.serving = serving
        self.servers = servers
        self.rate = rate
    }

    /// Reads `backend`'s readiness from a snapshot; nil when it has no such backend.
    public init?(_ backend: String, in snapshot: BalancerSnapshot) {
        guard let found = snapshot.backend(named: backend) else { return nil }
        self.init(
            backend: backend, serving: found.servers.filter(\.isServing).count, servers: found.servers.count,
            rate: found.rate)
    }

    /// `be_web_standby: 2/2 serving, 0/s now`.
    public var description: String { "\(backend): \(serving)/\(servers) serving, \(rate)/s now" }
}
