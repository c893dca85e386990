import FoundationEssentials
import Glibc
import SwitchboardCore

/// One line of `incidents.jsonl` (beside the audit log): an incident's start or end, who marked it and when.
public struct IncidentRecord: Codable, Sendable, Hashable {
    /// The incident's id, shared by its start and end.
    public var id: String
    /// `start` or `end`.
    public var phase: String
    /// UTC time, as audit records write it.
    public var time: String
    /// The title given at the start.
    public var title: String?
    /// The OS user that marked it.
    public var user: String
    /// The host it was marked on.
    public var host: String
    /// Each balancer's request counters at that moment (nil when none was read).
    public var counters: [String: RequestCounters]?

    /// Makes a record.
    public init(
        id: String, phase: String, time: String, title: String?, user: String, host: String,
        counters: [String: RequestCounters]? = nil
    ) {
        self.counters = counters
        self.id = id
        self.phase = phase
        self.time = time
        self.title = title
        self.user = user
        self.host = host
    }
}

/// An incident as the records tell it: from its start to its end (nil while it is open).
public struct Incident: Sendable, Hashable {
    /// Its id.
    public var id: String
    /// Its title.
    public var title: String
    /// When it started.
    public var start: Date
    /// When it ended (nil while open).
    public var end: Date?
    /// Who started it, `user@host`.
    public var startedBy: String
    /// Who ended it.
    public var endedBy: String?
    /// Each balancer's request counters at the start, when they were read.
    public var startCounters: [String: RequestCounters] = [:]
    /// And at the end.
    public var endCounters: [String: RequestCounters] = [:]

    /// Makes an incident.
    public init(id: String, title: String, start: Date, end: Date?, startedBy: String, endedBy: String? = nil) {
        self.id = id
        self.title = title
        self.start = start
        self.end = end
        self.startedBy = startedBy
        self.endedBy = endedBy
    }
}

/// Incidents marked by `switchboard incident start|end` (or the console), in `incidents.jsonl` beside the audit
/// log: appended and fsynced one line at a time like the audit log.
public struct IncidentLog: Sendable {
    /// The file.
    public let path: String

    /// The incident log beside an audit log.
    public init(besides audit: AuditLog) { path = audit.directory + "/incidents.jsonl" }

    /// Every incident on file, oldest first.
    public func incidents() throws -> [Incident] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SwitchboardError(.other, "cannot read \(path)", cause: "\(error)")
        }
        var incidents: [Incident] = []
        let decoder = JSONDecoder()
        for line in text.split(separator: "\n") {
            guard let record = try? decoder.decode(IncidentRecord.self, from: Data(line.utf8)),
                let time = AuditRecord.date(fromTimestamp: record.time)
            else { continue }
            if record.phase == "start" {
                var incident = Incident(
                    id: record.id, title: record.title ?? "", start: time, end: nil,
                    startedBy: "\(record.user)@\(record.host)")
                incident.startCounters = record.counters ?? [:]
                incidents.append(incident)
            } else if record.phase == "end", let index = incidents.lastIndex(where: { $0.id == record.id }) {
                incidents[index].end = time
                incidents[index].endedBy = "\(record.user)@\(record.host)"
                incidents[index].endCounters = record.counters ?? [:]
            }
        }
        return incidents
    }

    /// The incident still open, if any.
    public func openIncident() throws -> Incident? { try incidents().last { $0.end == nil } }

    /// Starts an incident now; refused while another is open.
    @discardableResult
    public func start(title: String, at time: Date = Date(), counters: [String: RequestCounters] = [:]) throws
        -> Incident
    {
        if let open = try openIncident() {
            throw SwitchboardError(
                .invalidValue,
                "incident \(open.id) (\"\(open.title)\") is still open since \(AuditRecord.timestamp(open.start)); "
                    + "end it first: switchboard incident end")
        }
        let id = "inc-" + Self.compact(time)
        try append(
            IncidentRecord(
                id: id, phase: "start", time: AuditRecord.timestamp(time), title: title, user: ActionExecutor.user,
                host: ProcessInfo.processInfo.hostName, counters: counters.isEmpty ? nil : counters))
        return Incident(
            id: id, title: title, start: time, end: nil,
            startedBy: "\(ActionExecutor.user)@\(ProcessInfo.processInfo.hostName)")
    }

    /// Ends the open incident now.
    @discardableResult
    public func end(at time: Date = Date(), counters: [String: RequestCounters] = [:]) throws -> Incident {
        guard var open = try openIncident() else {
            throw SwitchboardError(.invalidValue, "no incident is open (start one: switchboard incident start)")
        }
        try append(
            IncidentRecord(
                id: open.id, phase: "end", time: AuditRecord.timestamp(time), title: nil, user: ActionExecutor.user,
                host: ProcessInfo.processInfo.hostName, counters: counters.isEmpty ? nil : counters))
        open.end = time
        open.endCounters = counters
        open.endedBy = "\(ActionExecutor.user)@\(ProcessInfo.processInfo.hostName)"
        return open
    }

    /// `20261202T083500Z`.
    public static func compact(_ time: Date) -> String {
        AuditRecord.timestamp(time).prefix(19).replacing("-", with: "")
            .replacing(":", with: "") + "Z"
    }

    private func append(_ record: IncidentRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(record)
        data.append(UInt8(ascii: "\n"))
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SwitchboardError(.auditLogUnwritable, "cannot open \(path)", cause: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        guard FileDescriptorWrite.all(Array(data), to: fd), fsync(fd) == 0 else {
            throw SwitchboardError(.auditLogUnwritable, "cannot write \(path)", cause: String(cString: strerror(errno)))
        }
    }
}
