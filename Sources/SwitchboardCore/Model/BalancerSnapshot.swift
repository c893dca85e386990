/// Everything observed of a balancer at one moment: identity, frontends, backends and their servers.
///
/// Snapshots are immutable values; the console keeps the last good one and marks it stale when a
/// refresh fails, and compares two of them to find transitions.
public struct BalancerSnapshot: Sendable, Hashable {
    /// Identity, version, process and connection of the balancer.
    public var info: BalancerInfo
    /// Frontends, in HAProxy's order.
    public var frontends: [Frontend]
    /// Backends with their servers, in HAProxy's order.
    public var backends: [Backend]
    /// Records of `show stat` dropped because they failed validation (damaged output): the snapshot is
    /// partial when this is above 0.
    public var droppedRecords: Int

    /// Makes a snapshot.
    public init(info: BalancerInfo, frontends: [Frontend] = [], backends: [Backend] = [], droppedRecords: Int = 0) {
        self.info = info
        self.frontends = frontends
        self.backends = backends
        self.droppedRecords = droppedRecords
    }

    /// Every server of every backend.
    public var allServers: [Server] { backends.flatMap(\.servers) }

    /// The backend with this name.
    public func backend(named name: String) -> Backend? { backends.first { $0.name == name } }

    /// The server `backend/server`.
    public func server(_ backend: String, _ server: String) -> Server? {
        self.backend(named: backend)?.servers.first { $0.name == server }
    }
}
