import Foundation
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
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
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
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard createsDirectories else {
                throw failure("directory \(directory) does not exist", cause: "ENOENT")
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw failure("cannot create \(directory)", cause: "\(error)")
            }
        } else if !isDirectory.boolValue {
            throw failure("\(directory) is not a directory", cause: "ENOTDIR")
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot open \(path)", cause: String(cString: strerror(errno))) }
        defer { close(fd) }
        var written = 0
        try data.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write \(path)", cause: String(cString: strerror(errno)))
                }
                written += result
            }
        }
        guard fsync(fd) == 0 else { throw failure("cannot fsync \(path)", cause: String(cString: strerror(errno))) }
    }

    /// Every record in the file (unparseable lines are skipped and counted).
    public func records() throws -> (records: [AuditRecord], unreadable: Int) {
        guard let data = FileManager.default.contents(atPath: path) else { return ([], 0) }
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

    /// Attempts whose outcome was never written (the process died, or the outcome could not be
    /// written): their effect on the balancer is unknown.
    public func unfinishedAttempts() throws -> [AuditRecord] {
        let all = try records().records
        let finished = Set(all.filter { $0.phase == "outcome" }.compactMap(\.id))
        return all.filter { $0.isAttempt && !finished.contains($0.id ?? "") }
    }

    /// One line per unfinished attempt: `outcome unknown — check the balancer: …`.
    public static func describeUnfinished(_ record: AuditRecord) -> String {
        "outcome unknown — check the balancer: \(record.time) \(record.user)@\(record.host) \(record.intent) "
            + record.targets.joined(separator: ", ") + " on \(record.socket), about to send: "
            + (record.planned ?? []).joined(separator: "; ")
    }

    private func failure(_ what: String, cause: String) -> SwitchboardError {
        SwitchboardError(
            .auditLogUnwritable,
            "AUDIT LOG NOT WRITTEN: \(what) (\(path)) — fix the path or pass --audit-log PATH", cause: cause)
    }
}
