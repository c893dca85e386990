import Foundation
import SnapshotTesting
import SwitchboardCore
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Issue 11, the incident timeline, on a recorded incident: two demo balancers (lb2 drifted), `switchboard events
/// --follow` recording, the operator putting web1 in MAINT, failing be_web over to its backups and back, and
/// making web1 ready — the audit log, timeline and incident marks as written (temporary socket paths renamed).
@Suite("Incident timeline")
struct TimelineTests {
    static let directory = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/incident")
    static var audit: AuditLog { AuditLog(path: directory.appendingPathComponent("audit.jsonl").path) }

    static func recorded() throws -> Timeline {
        let incident = try #require(try IncidentLog(besides: audit).incidents().last)
        return Timeline.build(
            title: incident.title, incident: incident, start: incident.start, end: incident.end,
            events: try TimelineLog(besides: audit).events(), records: try audit.records().records,
            incidents: [incident])
    }

    @Test func theRecordedIncidentAsMarkdownMatchesItsGoldenFile() throws {
        let record: SnapshotTestingConfiguration.Record =
            ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true ? .never : .missing
        let markdown = try Self.recorded().markdown()
        withSnapshotTesting(record: record) {
            assertSnapshot(of: markdown, as: .lines, named: "incident")
        }
    }

    @Test func eachIntentIsOneEntryAndTheChangesItMadeAreNotRepeatedAsEvents() throws {
        let timeline = try Self.recorded()
        let actions = timeline.entries.filter { $0.kind == "action" }
        #expect(actions.count == 4)
        #expect(actions.allSatisfy { $0.balancer == "/run/lb1/admin.sock, /run/lb2/admin.sock" })
        #expect(actions.allSatisfy { $0.references.count == 2 }, "one outcome record per balancer")
        #expect(
            actions.first?.summary
                == "root@vm put be_web/web1 in MAINT on /run/lb1/admin.sock, /run/lb2/admin.sock (verified)")
        #expect(!timeline.entries.contains { $0.kind == "admin-changed" }, "every admin change was an action's")
        // The same event on both balancers is one line; different facts per balancer stay apart.
        #expect(timeline.entries.filter { $0.kind == "running-on-backups" }.count == 1)
        #expect(timeline.entries.filter { $0.kind == "back-on-actives" }.count == 2)
        #expect(timeline.summary.actions == 4 && timeline.summary.actionsVerified == 4)
        #expect(timeline.summary.durationSeconds == 16)
        #expect(timeline.summary.backends == ["be_web"])
        #expect(timeline.entries.first?.kind == "incident-start" && timeline.entries.last?.kind == "incident-end")
    }

    @Test func aChangeNobodyHereMadeStaysOnTheTimeline() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var event = BalancerEvent(
            time: start.addingTimeInterval(60), severity: .warning, kind: .adminChanged, backend: "be_web",
            server: "web2", message: "be_web/web2 admin ready → drain")
        event.balancer = "lb1"
        let timeline = Timeline.build(
            title: "t", start: start, end: start.addingTimeInterval(120), events: [event], records: [])
        #expect(timeline.entries.map(\.summary) == ["be_web/web2 admin ready → drain on lb1"])
        #expect(timeline.markdown().contains("- **08:01:00 UTC** — be_web/web2 admin ready → drain on lb1"))
        let outside = Timeline.build(
            title: "t", start: start.addingTimeInterval(61), end: nil, events: [event], records: [])
        #expect(outside.entries.isEmpty && outside.markdown().contains("Nothing was recorded in this window."))
    }

    @Test func theJSONFormParsesWithEveryEntryField() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(try Self.recorded())
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema"] as? Int == 1)
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(!entries.isEmpty)
        for entry in entries {
            for key in ["id", "time", "kind", "summary", "references", "details"] {
                #expect(entry[key] != nil, "\(key) missing in \(entry)")
            }
        }
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["incident"] as? String == "inc-20261202T060725Z")
    }

    @Test func anIncidentCannotStartTwiceAndOnlyAnOpenOneEnds() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("incidents-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = IncidentLog(besides: AuditLog(path: directory.appendingPathComponent("audit.jsonl").path))
        #expect(throws: SwitchboardError.self) { try log.end() }
        let first = try log.start(title: "checkout 503s", at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(first.id == "inc-20270115T080000Z")
        let again = #expect(throws: SwitchboardError.self) { try log.start(title: "again") }
        #expect(again?.message.contains("still open") == true)
        try log.end(at: Date(timeIntervalSince1970: 1_800_000_600))
        let incidents = try log.incidents()
        #expect(incidents.count == 1 && incidents[0].end != nil && incidents[0].title == "checkout 503s")
        #expect(try log.openIncident() == nil)
    }
}
