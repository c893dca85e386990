/// Turns parsed HAProxy output into a ``BalancerSnapshot``.
///
/// `show stat` gives the live counters and the status text; `show servers state`, when given, is
/// trusted for the admin state, the operational state and the weights (its `srv_uweight` does not go
/// stale in MAINT the way `show stat`'s `weight` does).
public enum SnapshotBuilder {
    /// Builds a snapshot. Rows are grouped by proxy in HAProxy's order; a proxy with both FRONTEND and
    /// BACKEND rows (a `listen` section) appears in both lists.
    public static func build(info: BalancerInfo, stat: StatTable, states: ServersState? = nil) -> BalancerSnapshot {
        var frontends: [Frontend] = []
        var backends: [Backend] = []
        var backendIndex: [String: Int] = [:]
        let typeColumn = stat.column("type")

        func backendPosition(_ name: String) -> Int {
            if let position = backendIndex[name] { return position }
            backends.append(Backend(name: name, status: ""))
            backendIndex[name] = backends.count - 1
            return backends.count - 1
        }

        for row in 0..<stat.rowCount {
            guard let proxy = stat.string(row: row, "pxname"), let name = stat.string(row: row, "svname") else {
                continue
            }
            let type: Int? = typeColumn != nil ? stat.int(row: row, "type") : nil
            switch (type, name) {
            case (0, _), (nil, "FRONTEND"):
                frontends.append(frontend(stat, row: row, name: proxy))
            case (1, _), (nil, "BACKEND"):
                let position = backendPosition(proxy)
                let servers = backends[position].servers
                backends[position] = backend(stat, row: row, name: proxy)
                backends[position].servers = servers
            case (2, _), (nil, _):
                let position = backendPosition(proxy)
                backends[position].servers.append(
                    server(stat, row: row, backend: proxy, name: name, state: states?[proxy, name]))
            default:
                continue  // listeners (type 3) and unknown types
            }
        }
        return BalancerSnapshot(info: info, frontends: frontends, backends: backends)
    }

    static func frontend(_ stat: StatTable, row: Int, name: String) -> Frontend {
        Frontend(
            name: name,
            proxyID: stat.int(row: row, "iid"),
            status: stat.string(row: row, "status") ?? "",
            sessions: stat.int(row: row, "scur") ?? 0,
            sessionLimit: stat.int(row: row, "slim"),
            rate: stat.int(row: row, "rate") ?? 0,
            requestRate: stat.int(row: row, "req_rate") ?? 0,
            http5xx: stat.int(row: row, "hrsp_5xx") ?? 0,
            mode: stat.string(row: row, "mode").nonEmpty,
            fields: stat.record(row: row))
    }

    static func backend(_ stat: StatTable, row: Int, name: String) -> Backend {
        Backend(
            name: name,
            proxyID: stat.int(row: row, "iid"),
            status: stat.string(row: row, "status") ?? "",
            algorithm: stat.string(row: row, "algo").nonEmpty,
            mode: stat.string(row: row, "mode").nonEmpty,
            activeUp: stat.int(row: row, "act") ?? 0,
            backupUp: stat.int(row: row, "bck") ?? 0,
            sessions: stat.int(row: row, "scur") ?? 0,
            sessionLimit: stat.int(row: row, "slim"),
            rate: stat.int(row: row, "rate") ?? 0,
            queue: stat.int(row: row, "qcur") ?? 0,
            http5xx: stat.int(row: row, "hrsp_5xx") ?? 0,
            responseTimeMilliseconds: stat.int(row: row, "rtime"),
            effectiveWeight: stat.int(row: row, "weight") ?? 0,
            lastChangeSeconds: stat.int(row: row, "lastchg"),
            fields: stat.record(row: row))
    }

    static func server(
        _ stat: StatTable, row: Int, backend: String, name: String, state: ServerStateRow?
    ) -> Server {
        let status = ServerStatus(stat.string(row: row, "status") ?? "")
        let checkText = stat.string(row: row, "check_status") ?? ""
        let agentText = stat.string(row: row, "agent_status") ?? ""
        let checkConfigured = status.kind != .noCheck && (!checkText.isEmpty || stat.int(row: row, "check_rise") != nil)
        let admin: AdminState
        let health: Health
        let checksEnabled: Bool
        let agentEnabled: Bool
        if let state {
            admin = AdminState(mask: state.adminMask)
            health = Health(operationalState: state.operationalState)
            checksEnabled = state.checksEnabled
            agentEnabled = state.agentEnabled
        } else {
            switch status.kind {
            case .maint: admin = AdminState(mode: .maint, inherited: status.via != nil)
            case .drain: admin = AdminState(mode: .drain)
            default: admin = AdminState(mode: .ready)
            }
            health = Health(status: status)
            checksEnabled = checkConfigured
            agentEnabled = !agentText.isEmpty
        }
        let statWeight = stat.int(row: row, "weight") ?? 0
        return Server(
            name: name,
            backend: backend,
            serverID: stat.int(row: row, "sid"),
            address: stat.string(row: row, "addr") ?? "",
            isBackup: (stat.int(row: row, "bck") ?? 0) == 1,
            status: status,
            admin: admin,
            health: health,
            check: checkConfigured || !checkText.isEmpty
                ? CheckResult(
                    statusText: checkText, code: stat.int(row: row, "check_code"),
                    durationMilliseconds: stat.int(row: row, "check_duration"),
                    description: stat.string(row: row, "check_desc") ?? "")
                : nil,
            agent: agentText.isEmpty
                ? nil
                : CheckResult(
                    statusText: agentText, code: stat.int(row: row, "agent_code"),
                    durationMilliseconds: stat.int(row: row, "agent_duration"),
                    description: stat.string(row: row, "agent_desc") ?? ""),
            checksEnabled: checksEnabled,
            agentEnabled: agentEnabled,
            weight: state?.userWeight ?? stat.int(row: row, "uweight") ?? statWeight,
            initialWeight: state?.initialWeight,
            effectiveWeight: statWeight,
            sessions: stat.int(row: row, "scur") ?? 0,
            maxSessions: stat.int(row: row, "smax") ?? 0,
            sessionLimit: stat.int(row: row, "slim"),
            rate: stat.int(row: row, "rate") ?? 0,
            queue: stat.int(row: row, "qcur") ?? 0,
            http5xx: stat.int(row: row, "hrsp_5xx") ?? 0,
            responseTimeMilliseconds: stat.int(row: row, "rtime"),
            selectedTotal: stat.int(row: row, "lbtot") ?? 0,
            lastChangeSeconds: stat.int(row: row, "lastchg") ?? state?.secondsSinceChange,
            tracks: stat.string(row: row, "tracked").nonEmpty,
            fields: stat.record(row: row))
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
