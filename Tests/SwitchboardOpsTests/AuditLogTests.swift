import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// The attempt/outcome pairs of the audit log, read from its end only.
@Suite("Audit log attempts")
struct AuditLogTests {
    static func record(_ id: String, _ phase: String, padding: Int = 0) -> AuditRecord {
        var record = AuditRecord(
            time: "2026-12-01T00:00:00.000Z", user: "oncall", host: "bastion", via: "cli",
            balancer: .init(product: "HAProxy", version: "2.6", pid: 1, node: "lb1"), socket: "/run/haproxy.sock",
            intent: "drain", targets: [ServerID(backend: "be_web", name: "web1")],
            warnings: [String(repeating: "x", count: padding)], commands: [],
            before: [], after: [], verified: phase == "outcome", outcome: phase, error: nil, dryRun: false)
        record.id = id
        record.phase = phase
        record.planned = ["set server be_web/web1 state drain"]
        return record
    }

    @Test func onlyAttemptsWithoutAnOutcomeAreUnfinishedAndOnlyTheEndIsRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = AuditLog(path: directory.path + "/audit.jsonl")
        try log.append(Self.record("old-killed", "attempt"))  // will lie before the window
        for index in 0..<40 {  // ~40 KB of finished pairs
            try log.append(Self.record("done-\(index)", "attempt", padding: 500))
            try log.append(Self.record("done-\(index)", "outcome", padding: 500))
        }
        try log.append(Self.record("killed", "attempt"))
        #expect(try log.unfinishedAttempts().map(\.id) == ["old-killed", "killed"])
        // A window that starts mid-line skips the partial line and reads the rest.
        #expect(try log.unfinishedAttempts(lastBytes: 20_000).map(\.id) == ["killed"])
        #expect(try log.records(lastBytes: 20_000).unreadable == 0)
    }
}
