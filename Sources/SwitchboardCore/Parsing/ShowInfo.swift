/// The `Name: value` lines of `show info`, with typed access to the fields Switchboard uses.
public struct ShowInfo: Sendable, Hashable {
    /// Every field, by name.
    public let fields: [String: String]

    /// Parses `show info`; lines without `: ` are ignored. Throws when `Pid` or `Version` is missing,
    /// which means the reply was not `show info` from HAProxy.
    public init(parsing text: String) throws {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            if !key.isEmpty { fields[String(key)] = String(value) }
        }
        guard fields["Pid"].flatMap(Int.init) != nil, fields["Version"] != nil else {
            throw SwitchboardError(
                .malformedOutput, "show info did not report Pid and Version — is this HAProxy's Runtime API?",
                cause: String(text.prefix(80)))
        }
        self.fields = fields
    }

    /// The worker's process id.
    public var pid: Int { fields["Pid"].flatMap(Int.init) ?? 0 }
    /// True on an old worker that is shutting down after a reload (`Stopping: 1`).
    public var stopping: Bool { fields["Stopping"] == "1" }

    /// The balancer information this describes, with the socket and level filled in by the caller.
    public func balancerInfo(socket: String, level: AccessLevel) -> BalancerInfo {
        BalancerInfo(
            product: fields["Name"] ?? "HAProxy",
            version: fields["Version"] ?? "",
            pid: pid,
            uptimeSeconds: fields["Uptime_sec"].flatMap(Int.init) ?? 0,
            node: fields["node"] ?? "",
            stopping: stopping,
            currentConnections: fields["CurrConns"].flatMap(Int.init) ?? 0,
            maxConnections: fields["Maxconn"].flatMap(Int.init) ?? 0,
            socket: socket,
            level: level)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result
    }
}
