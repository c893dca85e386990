/// The `Name: value` lines of `show info`, with typed access to the fields Switchboard uses.
public struct ShowInfo: Sendable, Hashable {
    /// Every field, by name.
    public let fields: [String: String]

    /// Parses `show info`; lines without `: ` are ignored. Throws when `Pid` or `Version` is missing,
    /// which means the reply was not `show info` from HAProxy.
    public init(parsing text: String) throws {
        // Bytes, not Characters: `show info` is ASCII and is read at every refresh of every balancer.
        var fields: [String: String] = [:]
        fields.reserveCapacity(80)
        let bytes = Array(text.utf8)
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 || bytes[lower] == 0x0D { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 || bytes[upper - 1] == 0x0D {
                upper -= 1
            }
            return lower..<upper
        }
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            if let colon = bytes[start..<end].firstIndex(of: 0x3A) {
                let key = trimmed(start..<colon)
                if !key.isEmpty {
                    fields[String(decoding: bytes[key], as: UTF8.self)] = String(
                        decoding: bytes[trimmed((colon + 1)..<end)], as: UTF8.self)
                }
            }
            start = end + 1
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
