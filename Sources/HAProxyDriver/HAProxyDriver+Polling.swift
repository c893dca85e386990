import SwitchboardCore

extension HAProxyDriver {
    /// Polling a console uses, cheap at 10,000 servers.
    ///
    /// Up to ``Polling/fullPollLimit`` servers, every refresh reads everything (`show stat` costs haproxy
    /// about 4.5 ms of CPU at 1,000 servers). Above it, a refresh reads the FRONTEND and BACKEND rows
    /// (`show stat -1 3 -1`: 0.8 ms at 10,000 servers), the servers of the backends on screen
    /// (`show stat <iid> 4 -1`), and every server's state (`show servers state`, 13 ms at 10,000) at
    /// most every ``Polling/statesInterval``; servers off screen keep their last counters, with their
    /// state updated from `show servers state`, so every server's state is tracked within that interval.
    public struct Polling: Sendable {
        /// Above this many servers, poll selectively.
        public var fullPollLimit = 2_000
        /// How often every server's state is read when polling selectively.
        public var statesInterval: Duration = .seconds(4)
        /// At most this many focused backends are read per refresh.
        public var maximumFocus = 8

        /// The defaults.
        public init() {}
    }

    /// The selective refresh described in ``Polling``.
    public func snapshot(focusing backends: [String]) async throws -> BalancerSnapshot {
        try await selectiveSnapshot(focusing: backends)
    }
}

/// What selective polling remembers between refreshes.
struct PollingCache: Sendable {
    var serversByBackend: [String: [Server]] = [:]
    var proxyIDs: [String: Int] = [:]
    var serverCount = 0
    var statesReadAt: ContinuousClock.Instant?
}

extension ServersState {
    /// Applies these states to a server read earlier: admin, health, weights; the status text is kept
    /// when it still agrees, else replaced by the state's own word.
    func refreshed(_ server: Server) -> Server {
        self[server.backend, server.name].flatMap { Self.applying($0, to: server) } ?? server
    }

    /// `server` with `row`'s states, or nil when they change nothing of it.
    static func applying(_ row: ServerStateRow, to server: Server) -> Server? {
        if server.admin == AdminState(mask: row.adminMask)
            && server.health == Health(operationalState: row.operationalState)
            && server.weight == row.userWeight && server.initialWeight == row.initialWeight
            && server.checksEnabled == row.checksEnabled && server.agentEnabled == row.agentEnabled
        {
            return nil
        }
        var updated = server
        updated.admin = AdminState(mask: row.adminMask)
        updated.health = Health(operationalState: row.operationalState)
        updated.weight = row.userWeight
        updated.initialWeight = row.initialWeight
        updated.checksEnabled = row.checksEnabled
        updated.agentEnabled = row.agentEnabled
        let word: String
        switch (updated.admin.mode, updated.health) {
        case (.maint, _): word = "MAINT"
        case (.drain, _): word = "DRAIN"
        case (_, .down): word = "DOWN"
        case (_, .stopping): word = "NOLB"
        default: word = updated.checksEnabled ? "UP" : "no check"
        }
        let agrees = ServerStatus(word).kind == server.status.kind
        if !agrees { updated.status = ServerStatus(word) }
        return updated
    }
}
