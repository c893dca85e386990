import FoundationEssentials
import SwitchboardCore

/// Route changes on record, so `failback-routes` and `route undo` restore exactly the entries a change made — from
/// the command line or after restarting the console. One JSON file beside the audit log (`routes.json`), replaced
/// atomically.
public struct RouteStore: Sendable {
    /// One verified route change.
    public struct Record: Codable, Sendable, Hashable {
        /// The attempt's id in the audit log.
        public var id: String
        /// UTC time.
        public var time: String
        /// The control socket.
        public var socket: String
        /// What was done (`failover-routes be_web --to be_standby`, `route set …`).
        public var label: String
        /// For a failover of routes: the backend they were moved away from.
        public var failoverFrom: String?
        /// The entries changed.
        public var changes: [RouteChange]

        /// Makes a record.
        public init(
            id: String, time: String, socket: String, label: String, failoverFrom: String?, changes: [RouteChange]
        ) {
            self.id = id
            self.time = time
            self.socket = socket
            self.label = label
            self.failoverFrom = failoverFrom
            self.changes = changes
        }
    }

    /// The file.
    public let path: String

    /// The store beside an audit log.
    public init(besides audit: AuditLog) { path = audit.directory + "/routes.json" }

    /// Every record, oldest first.
    public func all() throws -> [Record] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        do {
            return try JSONDecoder().decode([Record].self, from: data)
        } catch {
            throw SwitchboardError(.malformedOutput, "cannot read the route records in \(path)", cause: "\(error)")
        }
    }

    /// The newest failover of `backend`'s routes on `socket`.
    public func failover(socket: String, from backend: String) throws -> Record? {
        try all().last { $0.socket == socket && $0.failoverFrom == backend }
    }

    /// The newest change on `socket` (what `route undo` reverts).
    public func latest(socket: String) throws -> Record? { try all().last { $0.socket == socket } }

    /// Adds a record.
    public func save(_ record: Record) throws { try write(try all() + [record]) }

    /// Removes a record once it was restored.
    public func remove(id: String) throws { try write(try all().filter { $0.id != id }) }

    private func write(_ records: [Record]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            try encoder.encode(records).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SwitchboardError(
                .other, "cannot write the route record \(path) — fail back will not know the old routes",
                cause: "\(error)")
        }
    }
}
