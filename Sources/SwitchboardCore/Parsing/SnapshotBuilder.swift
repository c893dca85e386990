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
        let columns = StatColumns(stat)

        var lastPosition: (name: String, position: Int)?
        func backendPosition(_ name: String) -> Int {
            if let last = lastPosition, last.name == name { return last.position }
            let position: Int
            if let known = backendIndex[name] {
                position = known
            } else {
                backends.append(Backend(name: name, status: ""))
                position = backends.count - 1
                backendIndex[name] = position
            }
            lastPosition = (name, position)
            return position
        }

        var previousProxy: (row: Int, name: String)?
        var repeated = RepeatedText()
        for row in 0..<stat.rowCount {
            let proxy: String
            if let previous = previousProxy, stat.sameField(row: row, as: previous.row, column: columns.pxname) {
                proxy = previous.name  // one string per backend, not one per server row
            } else if let name = stat.string(row: row, column: columns.pxname) {
                proxy = name
            } else {
                continue
            }
            previousProxy = (row, proxy)
            guard let name = stat.string(row: row, column: columns.svname) else { continue }
            let type: Int? = stat.int(row: row, column: columns.type)
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
                    server(
                        stat, columns, row: row, backend: proxy, name: name, state: states?[proxy, name],
                        repeated: &repeated))
            default:
                continue  // listeners (type 3) and unknown types
            }
        }
        return BalancerSnapshot(
            info: info, frontends: frontends, backends: backends, droppedRecords: stat.skippedLines)
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
        _ stat: StatTable, _ c: StatColumns, row: Int, backend: String, name: String, state: ServerStateRow?,
        repeated: inout RepeatedText
    ) -> Server {
        func int(_ column: Int?) -> Int? { stat.int(row: row, column: column) }
        func text(_ column: Int?) -> String? { stat.string(row: row, column: column) }
        let status = repeated.status(stat, row: row, column: c.status)
        let checkText = repeated.text(.checkStatus, stat, row: row, column: c.check_status) ?? ""
        let agentText = repeated.text(.agentStatus, stat, row: row, column: c.agent_status) ?? ""
        let checkConfigured = status.kind != .noCheck && (!checkText.isEmpty || int(c.check_rise) != nil)
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
        let statWeight = int(c.weight) ?? 0
        return Server(
            name: name,
            backend: backend,
            serverID: int(c.sid),
            address: text(c.addr) ?? "",
            isBackup: (int(c.bck) ?? 0) == 1,
            status: status,
            admin: admin,
            health: health,
            check: checkConfigured || !checkText.isEmpty
                ? CheckResult(
                    statusText: checkText, code: int(c.check_code),
                    durationMilliseconds: int(c.check_duration),
                    description: repeated.text(.checkDescription, stat, row: row, column: c.check_desc) ?? "")
                : nil,
            agent: agentText.isEmpty
                ? nil
                : CheckResult(
                    statusText: agentText, code: int(c.agent_code),
                    durationMilliseconds: int(c.agent_duration),
                    description: repeated.text(.agentDescription, stat, row: row, column: c.agent_desc) ?? ""),
            checksEnabled: checksEnabled,
            agentEnabled: agentEnabled,
            weight: state?.userWeight ?? int(c.uweight) ?? statWeight,
            initialWeight: state?.initialWeight,
            effectiveWeight: statWeight,
            sessions: int(c.scur) ?? 0,
            maxSessions: int(c.smax) ?? 0,
            sessionLimit: int(c.slim),
            rate: int(c.rate) ?? 0,
            queue: int(c.qcur) ?? 0,
            http5xx: int(c.hrsp_5xx) ?? 0,
            responseTimeMilliseconds: int(c.rtime),
            selectedTotal: int(c.lbtot) ?? 0,
            lastChangeSeconds: int(c.lastchg) ?? state?.secondsSinceChange,
            tracks: text(c.tracked).nonEmpty,
            fields: stat.record(row: row))
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}

/// Column positions resolved once per table, so a 10,000-row build does no name lookups per field.
struct StatColumns {
    let addr: Int?
    let agent_code: Int?
    let agent_desc: Int?
    let agent_duration: Int?
    let agent_status: Int?
    let bck: Int?
    let check_code: Int?
    let check_desc: Int?
    let check_duration: Int?
    let check_rise: Int?
    let check_status: Int?
    let hrsp_5xx: Int?
    let lastchg: Int?
    let lbtot: Int?
    let pxname: Int?
    let qcur: Int?
    let rate: Int?
    let rtime: Int?
    let scur: Int?
    let sid: Int?
    let slim: Int?
    let smax: Int?
    let status: Int?
    let svname: Int?
    let tracked: Int?
    let type: Int?
    let uweight: Int?
    let weight: Int?

    init(_ table: StatTable) {
        addr = table.column("addr")
        agent_code = table.column("agent_code")
        agent_desc = table.column("agent_desc")
        agent_duration = table.column("agent_duration")
        agent_status = table.column("agent_status")
        bck = table.column("bck")
        check_code = table.column("check_code")
        check_desc = table.column("check_desc")
        check_duration = table.column("check_duration")
        check_rise = table.column("check_rise")
        check_status = table.column("check_status")
        hrsp_5xx = table.column("hrsp_5xx")
        lastchg = table.column("lastchg")
        lbtot = table.column("lbtot")
        pxname = table.column("pxname")
        qcur = table.column("qcur")
        rate = table.column("rate")
        rtime = table.column("rtime")
        scur = table.column("scur")
        sid = table.column("sid")
        slim = table.column("slim")
        smax = table.column("smax")
        status = table.column("status")
        svname = table.column("svname")
        tracked = table.column("tracked")
        type = table.column("type")
        uweight = table.column("uweight")
        weight = table.column("weight")
    }
}

/// Texts that repeat from row to row (status, check results): made once and shared while the bytes are the
/// same as the row before, so 10,000 servers "UP" with "Layer4 check passed" cost a handful of strings, not
/// tens of thousands.
struct RepeatedText {
    /// The columns followed.
    enum Slot: Int, CaseIterable {
        case checkStatus, agentStatus, checkDescription, agentDescription
    }

    private var last: [(row: Int, text: String)?] = Array(repeating: nil, count: Slot.allCases.count)
    private var lastStatus: (row: Int, status: ServerStatus)?

    /// The field's text, shared with the last row of this slot when the bytes are equal.
    mutating func text(_ slot: Slot, _ stat: StatTable, row: Int, column: Int?) -> String? {
        if let previous = last[slot.rawValue], stat.sameField(row: row, as: previous.row, column: column) {
            return previous.text
        }
        guard let text = stat.string(row: row, column: column) else { return nil }
        last[slot.rawValue] = (row, text)
        return text
    }

    /// The parsed status, shared with the last row when the bytes are equal.
    mutating func status(_ stat: StatTable, row: Int, column: Int?) -> ServerStatus {
        if let previous = lastStatus, stat.sameField(row: row, as: previous.row, column: column) {
            return previous.status
        }
        let status = ServerStatus(stat.string(row: row, column: column) ?? "")
        lastStatus = (row, status)
        return status
    }
}
