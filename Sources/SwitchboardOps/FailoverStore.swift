import FoundationEssentials
import SwitchboardCore

/// Failovers on record, so fail back restores exactly the states from failover time — from the command
/// line or after restarting the console. One JSON file beside the audit log (`failovers.json`),
/// replaced atomically.
public struct FailoverStore: Sendable {
    /// One failover.
    public struct Record: Codable, Sendable, Hashable {
        /// UTC time of the failover.
        public var time: String
        /// The control socket.
        public var socket: String
        /// The backend.
        public var backend: String
        /// `drain` or `maint`.
        public var mode: String
        /// The servers taken out, as they were before.
        public var before: [ActionPlan.ServerState]
        /// The servers as the failover left them (nil in older records): fail back leaves alone a server
        /// changed since by someone else.
        public var after: [ActionPlan.ServerState]?

        /// Makes a record.
        public init(
            time: String, socket: String, backend: String, mode: String, before: [ActionPlan.ServerState],
            after: [ActionPlan.ServerState]? = nil
        ) {
            self.time = time
            self.socket = socket
            self.backend = backend
            self.mode = mode
            self.before = before
            self.after = after
        }
    }

    /// The file.
    public let path: String

    /// The store beside an audit log.
    public init(besides audit: AuditLog) { path = audit.directory + "/failovers.json" }

    /// Every record.
    public func all() throws -> [Record] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        do {
            return try JSONDecoder().decode([Record].self, from: data)
        } catch {
            throw SwitchboardError(.malformedOutput, "cannot read the failover records in \(path)", cause: "\(error)")
        }
    }

    /// The record of `backend` on `socket`, if any.
    public func record(socket: String, backend: String) throws -> Record? {
        try all().last { $0.socket == socket && $0.backend == backend }
    }

    /// Adds a record (replacing an older one for the same backend: the first failover's states are kept,
    /// because failing over twice must still fail back to the original states).
    public func save(_ record: Record) throws {
        var records = try all()
        if let index = records.firstIndex(where: { $0.socket == record.socket && $0.backend == record.backend }) {
            var merged = records[index]
            let known = Set(merged.before.map(\.server))
            merged.before += record.before.filter { !known.contains($0.server) }
            records[index] = merged
        } else {
            records.append(record)
        }
        try write(records)
    }

    /// Removes the record of `backend` (after a complete fail back).
    public func remove(socket: String, backend: String) throws {
        try write(try all().filter { !($0.socket == socket && $0.backend == backend) })
    }

    private func write(_ records: [Record]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            try encoder.encode(records).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SwitchboardError(
                .other, "cannot write the failover record \(path) — fail back will not know the old states",
                cause: "\(error)")
        }
    }
}
