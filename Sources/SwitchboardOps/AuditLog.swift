import FoundationEssentials
import Glibc
import SwitchboardCore

/// The append-only audit log: one JSON object per line, written and fsynced before success is reported.
/// A record that cannot be written is an error, never silence.
public struct AuditLog: Sendable, Hashable {
    /// The file.
    public let path: String
    /// True when missing parent directories may be created (the default location); an explicit path
    /// under a missing directory is refused instead, since it is most likely a typo.
    public let createsDirectories: Bool

    /// A log at `path`.
    public init(path: String, createsDirectories: Bool = true) {
        self.path = path
        self.createsDirectories = createsDirectories
    }

    /// `$XDG_STATE_HOME/switchboard/audit.jsonl`, else `~/.local/state/switchboard/audit.jsonl`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/switchboard/audit.jsonl" }
        let home =
            environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.local/state/switchboard/audit.jsonl"
    }

    /// The timeline file beside it (`timeline.jsonl`), for events.
    public var directory: String { URL(fileURLWithPath: path).deletingLastPathComponent().path }

    /// Appends one record: `O_APPEND` write of a single line, then `fsync`.
    public func append(_ record: AuditRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(record)
        data.append(UInt8(ascii: "\n"))
        var isDirectory = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard createsDirectories else {
                throw failure("directory \(directory) does not exist", cause: "ENOENT")
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw failure("cannot create \(directory)", cause: "\(error)")
            }
        } else if !isDirectory {
            throw failure("\(directory) is not a directory", cause: "ENOTDIR")
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot open \(path)", cause: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard FileDescriptorWrite.all(Array(data), to: fd) else {
            throw failure("cannot write \(path)", cause: String(cString: strerror(errno)))
        }
        guard fsync(fd) == 0 else { throw failure("cannot fsync \(path)", cause: String(cString: strerror(errno))) }
    }

    /// Every record in the file, or in its last `lastBytes` (unparseable lines are skipped and counted).
    public func records(lastBytes: Int? = nil) throws -> (records: [AuditRecord], unreadable: Int) {
        guard var data = try tail(lastBytes) else { return ([], 0) }
        if let lastBytes, data.count >= lastBytes, let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
            data = data[(newline + 1)...]  // the window began inside a line
        }
        var records: [AuditRecord] = []
        var unreadable = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? JSONDecoder().decode(AuditRecord.self, from: Data(line)) {
                records.append(record)
            } else {
                unreadable += 1
            }
        }
        return (records, unreadable)
    }

    /// The file's contents, or its last `bytes`; nil when there is no regular file (a device such as
    /// `/dev/full` reads forever; it holds no records).
    private func tail(_ bytes: Int?) throws -> Data? {
        RegularFile.tail(of: path, lastBytes: bytes).map { Data($0) }
    }

    /// How much of the log's end ``unfinishedAttempts(lastBytes:)`` reads by default: an outcome always
    /// follows its attempt, and every action command and console start looks, so a long log must not cost.
    public static let unfinishedWindow = 1 << 20

    /// Attempts whose outcome was never written (the process died, or the outcome could not be
    /// written): their effect on the balancer is unknown. Reads the last `lastBytes` of the log.
    public func unfinishedAttempts(lastBytes: Int = unfinishedWindow) throws -> [AuditRecord] {
        let all = try records(lastBytes: lastBytes).records
        let finished = Set(all.filter { $0.phase == "outcome" }.compactMap(\.id))
        return all.filter { $0.isAttempt && !finished.contains($0.id ?? "") }
    }

    /// One line per unfinished attempt: `outcome unknown — check the balancer: …`.
    public static func describeUnfinished(_ record: AuditRecord) -> String {
        "outcome unknown — check the balancer: \(record.time) \(record.user)@\(record.host) \(record.intent) "
            + record.targets.map(\.description).joined(separator: ", ") + " on \(record.socket), about to send: "
            + (record.planned ?? []).joined(separator: "; ")
    }

    private func failure(_ what: String, cause: String) -> SwitchboardError {
        SwitchboardError(
            .auditLogUnwritable,
            "AUDIT LOG NOT WRITTEN: \(what) (\(path)) — fix the path or pass --audit-log PATH", cause: cause)
    }
}
