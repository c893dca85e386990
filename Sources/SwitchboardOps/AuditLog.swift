import Foundation
import SwitchboardCore

/// The append-only audit log: one JSON object per line, written and fsynced before success is reported.
/// A record that cannot be written is an error, never silence.
public struct AuditLog: Sendable, Hashable {
    /// The file.
    public let path: String

    /// A log at `path`.
    public init(path: String) { self.path = path }

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
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw failure("cannot create \(directory)", cause: "\(error)")
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

    private func failure(_ what: String, cause: String) -> SwitchboardError {
        SwitchboardError(
            .other,
            "AUDIT LOG NOT WRITTEN: \(what) — the action's outcome is not on record; fix the path or pass --audit-log",
            cause: cause)
    }
}
