import FoundationEssentials
import Glibc
import SwitchboardCore

/// Events and operator actions, one JSON line each, in `timeline.jsonl` beside the audit log.
public struct TimelineLog: Sendable {
    /// The file.
    public let path: String

    /// The timeline beside an audit log.
    public init(besides audit: AuditLog) { path = audit.directory + "/timeline.jsonl" }

    /// Appends events.
    public func append(_ events: [BalancerEvent]) throws {
        guard !events.isEmpty else { return }
        let encoder = Self.encoder
        var data = Data()
        for event in events {
            data.append(try encoder.encode(event))
            data.append(UInt8(ascii: "\n"))
        }
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SwitchboardError(.other, "cannot open the timeline \(path)", cause: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        FileDescriptorWrite.all(Array(data), to: fd)
    }

    /// Every event on file, in the order written (unreadable lines are skipped).
    public func events() throws -> [BalancerEvent] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SwitchboardError(.other, "cannot read the timeline \(path)", cause: "\(error)")
        }
        let decoder = Self.decoder
        return text.split(separator: "\n").compactMap { try? decoder.decode(BalancerEvent.self, from: Data($0.utf8)) }
    }

    /// One event per line as the timeline (and `events --follow --json`) writes it: sorted keys, record timestamps.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(AuditRecord.timestamp(date))
        }
        return encoder
    }

    /// Reads what ``encoder`` wrote.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = AuditRecord.date(fromTimestamp: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: text))
            }
            return date
        }
        return decoder
    }
}
