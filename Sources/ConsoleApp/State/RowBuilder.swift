import SwitchboardCore

/// Computes the rows of the servers view: filter, sort within backends, collapse. Linear in the
/// number of servers plus the sort; run once per change, never per frame.
enum RowBuilder {
    static func rows(
        snapshot: BalancerSnapshot?, filter: Filter, sort: SortColumn, descending: Bool, collapsed: Set<String>,
        metrics: Metrics
    ) -> [Row] {
        guard let snapshot else { return [] }
        var rows: [Row] = []
        rows.reserveCapacity(
            snapshot.backends.count + (filter.isEmpty ? snapshot.backends.reduce(0) { $0 + $1.servers.count } : 64))
        for (backendIndex, backend) in snapshot.backends.enumerated() {
            // Without a filter no server is looked at (a copy of each would retain all its strings, every refresh).
            var matching =
                filter.isEmpty
                ? Array(backend.servers.indices)
                : backend.servers.indices.filter { filter.matches(backend.servers[$0], in: backend) }
            if !filter.isEmpty && matching.isEmpty { continue }
            rows.append(Row(kind: .backend(backendIndex), id: .backend(backend.name)))
            if collapsed.contains(backend.name) { continue }
            if sort != .none {
                matching = sorted(matching, of: backend.servers, by: sort, descending: descending, metrics: metrics)
            }
            for serverIndex in matching {
                rows.append(Row(kind: .server(backendIndex, serverIndex), id: .server(backend.servers[serverIndex].id)))
            }
        }
        return rows
    }

    /// The rows of the fleet view: merged backends and servers, filtered, sorted by their summed figures.
    static func rows(
        fleet: FleetView, filter: Filter, sort: SortColumn, descending: Bool, collapsed: Set<String>
    ) -> [Row] {
        var rows: [Row] = []
        let empty = Metrics()
        for (backendIndex, backend) in fleet.backends.enumerated() {
            var matching = backend.servers.indices.filter {
                filter.isEmpty || filter.matches(backend.servers[$0], in: backend)
            }
            if !filter.isEmpty && matching.isEmpty { continue }
            rows.append(Row(kind: .fleetBackend(backendIndex), id: .backend(backend.name)))
            if collapsed.contains(backend.name) { continue }
            if sort != .none {
                matching = sorted(
                    matching, of: backend.servers.map(\.summary), by: sort, descending: descending, metrics: empty)
            }
            for serverIndex in matching {
                rows.append(
                    Row(kind: .fleetServer(backendIndex, serverIndex), id: .server(backend.servers[serverIndex].id)))
            }
        }
        return rows
    }

    /// `indices` of `servers` sorted by `sort` (stable: ties keep their order).
    static func sorted(
        _ indices: [Int], of servers: [Server], by sort: SortColumn, descending: Bool, metrics: Metrics
    ) -> [Int] {
        let busiest = servers.map(\.sessions).max() ?? 0
        return indices.enumerated().sorted { lhs, rhs in
            if let ascending = sort.ascending(
                servers[lhs.element], servers[rhs.element], metrics: metrics, busiest: busiest)
            {
                return descending ? !ascending : ascending
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
