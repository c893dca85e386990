import NIOCore
import SwitchboardCore

/// Reading a balancer into a snapshot: in full, or selectively at 10,000 servers (``HAProxyDriver/Polling``).
extension HAProxyDriver {
    /// Everything read in full; with `focus` (the selective path) and above ``Polling/fullPollLimit`` servers,
    /// only the focused backends' servers keep their raw `show stat` fields, so the whole table (7.8 MB of text
    /// and bounds at 10,000 servers) is freed as soon as the snapshot is built instead of a refresh later.
    func fullSnapshot(info: BalancerInfo, focus: Set<String>? = nil) async throws -> BalancerSnapshot {
        // Each reply parsed as soon as it is read, so the two raw replies (5 MB at 10,000 servers) never
        // sit in memory together with the parsed table.
        let table = try StatTable(bytes: Array(try await read(.showStat()).readableBytesView))
        let states = try ServersState(parsing: String(buffer: try await read(.showServersState())))
        var snapshot = SnapshotBuilder.build(info: info, stat: table, states: states)
        if let focus, snapshot.backends.reduce(0, { $0 + $1.servers.count }) > polling.fullPollLimit {
            for index in snapshot.backends.indices where !focus.contains(snapshot.backends[index].name) {
                for server in snapshot.backends[index].servers.indices {
                    snapshot.backends[index].servers[server].fields = nil
                }
            }
        }
        remember(snapshot)
        return snapshot
    }

    private func remember(_ snapshot: BalancerSnapshot) {
        var servers: [String: [Server]] = [:]
        var ids: [String: Int] = [:]
        var count = 0
        for backend in snapshot.backends {
            servers[backend.name] = backend.servers
            if let id = backend.proxyID { ids[backend.name] = id }
            count += backend.servers.count
        }
        cache = PollingCache(
            serversByBackend: servers, proxyIDs: ids, serverCount: count, statesReadAt: ContinuousClock.now)
    }

    /// Applies a `show servers state` read to the cached servers. Rows come backend by backend in the servers'
    /// own order, so each server is matched by position (a name compared, nothing hashed) and looked up by name
    /// only where it moved. A backend where nothing changed keeps its array (the same storage), so the
    /// console's fold sees at once that there is nothing to compare in it.
    private func refresh(with rows: [ServerStateRow]) {
        var ranges: [String: Range<Int>] = [:]
        var start = 0
        for index in rows.indices where index + 1 == rows.count || rows[index + 1].backend != rows[index].backend {
            ranges[rows[index].backend] = start..<(index + 1)
            start = index + 1
        }
        for (name, servers) in cache.serversByBackend {
            guard let range = ranges[name] else { continue }
            var lookup = PositionalLookup()
            var updated: [Server]?
            for index in servers.indices {
                guard
                    let found = lookup.index(
                        of: servers[index].name, at: index, count: range.count,
                        nameAt: { rows[range.lowerBound + $0].server }),
                    let server = ServersState.applying(rows[range.lowerBound + found], to: servers[index])
                else { continue }
                if updated == nil { updated = servers }
                updated?[index] = server
            }
            if let updated { cache.serversByBackend[name] = updated }
        }
    }

    /// The selective refresh described in ``Polling``.
    func selectiveSnapshot(focusing focus: [String]) async throws -> BalancerSnapshot {
        let info = try await currentInfo()
        guard cache.serverCount > polling.fullPollLimit, cache.statesReadAt != nil else {
            return try await fullSnapshot(info: info, focus: Set(focus.prefix(polling.maximumFocus)))
        }
        let summary = SnapshotBuilder.build(
            info: info, stat: try await stat(RuntimeCommand.StatFilter(types: 3, proxyID: nil)))
        if summary.backends.contains(where: { cache.serversByBackend[$0.name] == nil }) {
            // a backend appeared (reload with a new config)
            return try await fullSnapshot(info: info, focus: Set(focus.prefix(polling.maximumFocus)))
        }
        let clock = ContinuousClock()
        if let readAt = cache.statesReadAt, clock.now - readAt >= polling.statesInterval {
            // Applied to the cached servers and dropped: kept, it would hold 2.6 MB at 10,000 servers.
            let rows = try ServersState.orderedRows(
                parsing: String(buffer: try await read(.showServersState()))
            ).rows
            cache.statesReadAt = clock.now
            refresh(with: rows)
        }
        for name in focus.prefix(polling.maximumFocus) {
            guard let id = summary.backend(named: name)?.proxyID ?? cache.proxyIDs[name] else { continue }
            let table = try await stat(.servers(ofProxy: id))
            // Fresh counters and status text; the config weight (from the last states read) is carried over from
            // the server as cached, matched by position first and by name where the servers moved.
            let focused = SnapshotBuilder.build(info: info, stat: table)
            let previous = cache.serversByBackend[name] ?? []
            var lookup = PositionalLookup()
            cache.serversByBackend[name] = (focused.backend(named: name)?.servers ?? []).enumerated().map {
                position, server in
                var server = server
                server.initialWeight = lookup.index(
                    of: server.name, at: position, count: previous.count, nameAt: { previous[$0].name }
                ).flatMap { previous[$0].initialWeight }
                return server
            }
        }
        // Servers off screen keep their counters and states but not their raw `show stat` fields: those would
        // keep a whole earlier table alive (2.6 MB of text and its field bounds at 10,000 servers); the detail
        // view reads a server on screen, whose backend is read in full every refresh.
        let focused = Set(focus.prefix(polling.maximumFocus))
        for (name, servers) in cache.serversByBackend where !focused.contains(name) && servers.first?.fields != nil {
            cache.serversByBackend[name] = servers.map { server in
                var bare = server
                bare.fields = nil
                return bare
            }
        }
        var backends = summary.backends
        for index in backends.indices {
            backends[index].servers = cache.serversByBackend[backends[index].name] ?? []
            if let id = backends[index].proxyID { cache.proxyIDs[backends[index].name] = id }
        }
        cache.serverCount = backends.reduce(0) { $0 + $1.servers.count }
        return BalancerSnapshot(
            info: info, frontends: summary.frontends, backends: backends, droppedRecords: summary.droppedRecords)
    }
}
