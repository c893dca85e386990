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
    /// A health check still running although checks are disabled: its result lands when it finishes and
    /// overwrites a health state forced meanwhile (measured on HAProxy 2.6 and 3.4).
    public var disabledCheckStillRunning: Bool { checkState & 0x07 == 0x03 }
    /// Agent check configured and enabled.
    public var agentEnabled: Bool { agentState & 0x06 == 0x06 }
}

/// `show servers state`, parsed by header name, keyed by backend and server.
public struct ServersState: Sendable, Hashable {
    /// A backend and server name pair.
    public struct Key: Hashable, Sendable {
        /// Backend name.
        public var backend: String
        /// Server name.
        public var server: String

        /// Makes a key.
        public init(backend: String, server: String) {
            self.backend = backend
            self.server = server
        }
    }

    /// Rows by backend and server.
    public let rows: [Key: ServerStateRow]
    /// Lines that could not be read, for diagnostics.
    public let skippedLines: Int

    /// Parses the output. Throws when the `# be_id be_name …` header is missing.
    public init(parsing text: String) throws {
        let (ordered, skipped) = try Self.orderedRows(parsing: text)
        var rows: [Key: ServerStateRow] = [:]
        rows.reserveCapacity(ordered.count)
        for row in ordered { rows[Key(backend: row.backend, server: row.server)] = row }
        self.rows = rows
        skippedLines = skipped
    }

    /// The rows in HAProxy's order (backend by backend, servers in config order) and the lines skipped, without
    /// the index by name: the cheap form for matching servers that are already known by position.
    public static func orderedRows(parsing text: String) throws -> (rows: [ServerStateRow], skipped: Int) {
        var text = text
        let parsed = text.withUTF8 { Self.parse($0) }
        guard let parsed else {
            throw SwitchboardError(
                .malformedOutput, "show servers state output has no '# be_id be_name …' header",
                cause: String(text.prefix(80)))
        }
        return parsed
    }

    /// The row for `backend/server`.
    public subscript(backend: String, server: String) -> ServerStateRow? { rows[Key(backend: backend, server: server)] }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ([ServerStateRow], Int)? {
        let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#")
        var names: [String] = []
        var rows: [ServerStateRow] = []
        rows.reserveCapacity(bytes.count / 64)  // a line is 70–90 bytes
        var skipped = 0
        var lineStart = 0
        var columns = Columns()
        var fields: [Range<Int>] = []
        fields.reserveCapacity(32)
        var previousBackend: String?
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != newline { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            fields.removeAll(keepingCapacity: true)
            var position = lineStart
            while position < lineEnd {
                while position < lineEnd && (bytes[position] == space || bytes[position] == 13) { position += 1 }
                let start = position
                while position < lineEnd && bytes[position] != space && bytes[position] != 13 { position += 1 }
                if position > start { fields.append(start..<position) }
            }
            guard let first = fields.first else { continue }
            if bytes[first.lowerBound] == hash {
                if names.isEmpty {
                    names = fields.dropFirst().map { String(decoding: bytes[$0], as: UTF8.self) }
                    if bytes[first].count > 1 {
                        names.insert(String(decoding: bytes[first].dropFirst(), as: UTF8.self), at: 0)
                    }
                    columns = Columns(names)
                }
                continue
            }
            guard !names.isEmpty else { continue }  // the version line ("1") comes before the header
            func field(_ column: Int?) -> Range<Int>? {
                guard let column, column < fields.count else { return nil }
                return fields[column]
            }
            func string(_ column: Int?) -> String? { field(column).map { String(decoding: bytes[$0], as: UTF8.self) } }
            func number(_ column: Int?) -> Int? {
                guard let range = field(column) else { return nil }
                var value = 0
                for byte in bytes[range] {
                    guard byte >= 48 && byte <= 57, value < Int.max / 10 - 10 else { return nil }
                    value = value * 10 + Int(byte - 48)
                }
                return value
            }
            let backend: String?
            if let previous = previousBackend, let range = field(columns.backend),
                bytes[range].elementsEqual(previous.utf8)
            {
                backend = previous  // one string per backend, not one per line
            } else {
                backend = string(columns.backend)
            }
            previousBackend = backend
            guard let backend, let server = string(columns.server),
                let opState = number(columns.opState), let adminMask = number(columns.adminState)
            else {
                skipped += 1
                continue
            }
            rows.append(
                ServerStateRow(
                    backend: backend, server: server, address: string(columns.address) ?? "",
                    port: number(columns.port),
                    operationalState: opState, adminMask: adminMask, userWeight: number(columns.userWeight) ?? 0,
                    initialWeight: number(columns.initialWeight) ?? 0, checkState: number(columns.checkState) ?? 0,
                    agentState: number(columns.agentState) ?? 0, secondsSinceChange: number(columns.sinceChange)))
        }
        return names.isEmpty ? nil : (rows, skipped)
    }

    /// Column positions from the header.
    private struct Columns {
        var backend: Int?, server: Int?, address: Int?, port: Int?, opState: Int?, adminState: Int?
        var userWeight: Int?, initialWeight: Int?, checkState: Int?, agentState: Int?, sinceChange: Int?

        init() {}

        init(_ names: [String]) {
            func position(_ name: String) -> Int? { names.firstIndex(of: name) }
            backend = position("be_name")
            server = position("srv_name")
            address = position("srv_addr")
            port = position("srv_port")
            opState = position("srv_op_state")
            adminState = position("srv_admin_state")
            userWeight = position("srv_uweight")
            initialWeight = position("srv_iweight")
            checkState = position("srv_check_state")
            agentState = position("srv_agent_state")
            sinceChange = position("srv_time_since_last_change")
        }
    }
}
