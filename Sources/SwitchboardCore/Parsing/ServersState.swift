/// One server line of `show servers state`: the machine-readable states behind the status text.
public struct ServerStateRow: Sendable, Hashable {
    /// Backend name.
    public var backend: String
    /// Server name.
    public var server: String
    /// Address (shown even on `user` sockets).
    public var address: String
    /// Port, when reported.
    public var port: Int?
    /// `srv_op_state`: 0 stopped, 1 starting, 2 running, 3 stopping.
    public var operationalState: Int
    /// `srv_admin_state` bit mask.
    public var adminMask: Int
    /// `srv_uweight`: the user (operator-set) weight.
    public var userWeight: Int
    /// `srv_iweight`: the initial (config) weight.
    public var initialWeight: Int
    /// `srv_check_state` bit mask: 0x01 running, 0x02 configured, 0x04 enabled, 0x08 paused.
    public var checkState: Int
    /// `srv_agent_state` bit mask: as the check mask, plus 0x10 agent.
    public var agentState: Int
    /// `srv_time_since_last_change` in seconds.
    public var secondsSinceChange: Int?

    /// Health checks configured and enabled.
    public var checksEnabled: Bool { checkState & 0x06 == 0x06 }
    /// Agent check configured and enabled.
    public var agentEnabled: Bool { agentState & 0x06 == 0x06 }
}

/// `show servers state`, parsed by header name, keyed by `backend/server`.
public struct ServersState: Sendable, Hashable {
    /// Rows by `backend/server`.
    public let rows: [String: ServerStateRow]
    /// Lines that could not be read, for diagnostics.
    public let skippedLines: Int

    /// Parses the output. Throws when the `# be_id be_name …` header is missing.
    public init(parsing text: String) throws {
        var columns: [Substring: Int] = [:]
        var rows: [String: ServerStateRow] = [:]
        var skipped = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") {
                if columns.isEmpty {
                    for (position, name) in line.dropFirst().split(separator: " ").enumerated() {
                        columns[name] = position
                    }
                }
                continue
            }
            guard !columns.isEmpty else { continue }  // the version line ("1") comes before the header
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            func word(_ name: Substring) -> Substring? {
                guard let position = columns[name], position < words.count else { return nil }
                return words[position]
            }
            func number(_ name: Substring) -> Int? { word(name).flatMap { Int($0) } }
            guard let backend = word("be_name"), let server = word("srv_name"),
                let opState = number("srv_op_state"), let adminMask = number("srv_admin_state")
            else {
                skipped += 1
                continue
            }
            let row = ServerStateRow(
                backend: String(backend), server: String(server),
                address: word("srv_addr").map(String.init) ?? "",
                port: number("srv_port"),
                operationalState: opState, adminMask: adminMask,
                userWeight: number("srv_uweight") ?? 0,
                initialWeight: number("srv_iweight") ?? 0,
                checkState: number("srv_check_state") ?? 0,
                agentState: number("srv_agent_state") ?? 0,
                secondsSinceChange: number("srv_time_since_last_change"))
            rows["\(backend)/\(server)"] = row
        }
        guard !columns.isEmpty else {
            throw SwitchboardError(
                .malformedOutput, "show servers state output has no '# be_id be_name …' header",
                cause: String(text.prefix(80)))
        }
        self.rows = rows
        self.skippedLines = skipped
    }

    /// The row for `backend/server`.
    public subscript(backend: String, server: String) -> ServerStateRow? { rows["\(backend)/\(server)"] }
}
