import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// Issue 11: incident marks, the timeline of what was done, and revert to incident start — on the built binary
/// and a real haproxy.
@Suite("incident, timeline and revert (command line)", .serialized, .timeLimit(.minutes(3)))
struct IncidentCommandTests {
    static func run(_ lab: Lab, _ arguments: [String]) async throws -> BuiltProgram.Result {
        try await BuiltProgram.run(arguments, environment: ActionCommandTests.environment(lab))
    }

    @Test func revertPutsBackTheStatesAtIncidentStartAndLeavesLaterChangesByOthersAlone() async throws {
        try await Lab.with(.demo) { lab in
            let socket = ["--socket", lab.adminSocket]
            // Before the incident: web1 drained (that is the state to come back to).
            #expect(try await Self.run(lab, ["drain", "be_web/web1", "--yes"] + socket).status == 0)
            let started = try await Self.run(lab, ["incident", "start", "--title", "checkout 503s"])
            #expect(started.status == 0 && started.standardOutput.contains("started at"), "\(started.standardError)")
            let twice = try await Self.run(lab, ["incident", "start", "--title", "again"])
            #expect(twice.status == 65 && twice.standardError.contains("still open"), "\(twice.standardError)")

            #expect(try await Self.run(lab, ["maint", "be_web/web1", "--yes"] + socket).status == 0)
            #expect(try await Self.run(lab, ["weight", "be_web/web2", "50", "--yes"] + socket).status == 0)
            #expect(try await Self.run(lab, ["weight", "be_web/web3", "25", "--yes"] + socket).status == 0)
            // Someone else, straight on the socket: web3 to 80 after our last action on it.
            let other = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            _ = try await other.execute(try .raw("set server be_web/web3 weight 80"))

            let dry = try await Self.run(lab, ["revert", "--incident", "--dry-run"] + socket)
            #expect(dry.status == 0, "\(dry.standardError)")
            #expect(dry.standardOutput.contains("revert to the start of incident inc-"), "\(dry.standardOutput)")
            #expect(
                (dry.standardOutput + dry.standardError).contains("be_web/web3 changed since by someone else"),
                "\(dry.standardOutput)\(dry.standardError)")
            #expect(try await ActionCommandTests.admin(lab).server("be_web", "web1")?.admin.mode == .maint)

            let revert = try await Self.run(lab, ["revert", "--incident", "--yes"] + socket)
            #expect(revert.status == 0, "\(revert.standardOutput)\(revert.standardError)")
            let after = try await ActionCommandTests.admin(lab)
            #expect(after.server("be_web", "web1")?.admin.mode == .drain, "back to the DRAIN of before the incident")
            #expect(after.server("be_web", "web2")?.weight == 100)
            #expect(after.server("be_web", "web3")?.weight == 80, "a later change by someone else is left alone")
            let reverted = try ActionCommandTests.records(lab).last
            #expect(reverted?.intent == "revert to incident start" && reverted?.verified == true)

            #expect(try await Self.run(lab, ["incident", "end"]).status == 0)
            let json = try await Self.run(lab, ["timeline", "--incident", "--format", "json"])
            #expect(json.status == 0, "\(json.standardError)")
            let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
            let entries = document?["entries"] as? [[String: Any]] ?? []
            let actions = entries.filter { $0["kind"] as? String == "action" }.compactMap { $0["summary"] as? String }
            #expect(actions.count == 4, "maint, two weights, revert (the drain was before): \(actions)")
            #expect(actions.last?.contains("revert to incident start") == true)
            #expect(!actions.contains { $0.contains("drained") }, "the drain before the incident is not in it")
            let markdown = try await Self.run(lab, ["timeline", "--incident"])
            #expect(markdown.standardOutput.hasPrefix("# Incident timeline: checkout 503s"))
            // One balancer: named by its HAProxy node name.
            let node = try await ActionCommandTests.admin(lab).info.node
            #expect(markdown.standardOutput.contains("put be_web/web1 in MAINT on \(node) (verified)"), "\(markdown)")
            #expect(markdown.standardOutput.contains("revert to incident start (be_web/web1, be_web/web2)"))
        }
    }

    /// The timeline counts the requests that failed between the incident's start and end, from the frontends'
    /// counters read by `incident start|end --socket`: real traffic with a known number of 500s.
    @Test func theTimelineCountsTheRequestsThatFailedDuringTheIncident() async throws {
        try await Lab.with(.demo) { lab in
            let start = try await Self.run(
                lab, ["incident", "start", "--title", "api errors", "--socket", lab.adminSocket])
            #expect(start.status == 0, "\(start.standardError)")
            #expect(start.standardOutput.contains("request counters read on \(lab.adminSocket)"))
            let failing = await TrafficGenerator.send(count: 12, to: "/be_api/v1/err", port: lab.frontendPort)
            let fine = await TrafficGenerator.send(count: 30, to: "/be_web/", port: lab.frontendPort)
            #expect(failing.statuses[500] == 12 && fine.statuses[200] == 30)
            let end = try await Self.run(lab, ["incident", "end", "--socket", lab.adminSocket])
            #expect(end.status == 0, "\(end.standardError)")
            let timeline = try await Self.run(lab, ["timeline", "--incident"])
            #expect(
                timeline.standardOutput.contains(
                    "- **Requests failed:** 12 of 42 (28.6 %) — 5xx answered by the frontends"),
                "\(timeline.standardOutput)")
            let json = try await Self.run(lab, ["timeline", "--incident", "--format", "json"])
            let summary = try #require(
                (try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])?["summary"]
                    as? [String: Any])
            #expect(summary["requestsFailed"] as? Int == 12 && summary["requests"] as? Int == 42)
        }
    }

    @Test func revertAndTimelineWithoutAnIncidentSayWhatIsMissing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-incident-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["XDG_STATE_HOME": directory.path]
        let revert = try await BuiltProgram.run(
            ["revert", "--incident", "--socket", "/nonexistent.sock", "--yes"], environment: environment)
        #expect(revert.status == 65 && revert.standardError.contains("no incident on file"), "\(revert.standardError)")
        let timeline = try await BuiltProgram.run(["timeline", "--incident"], environment: environment)
        #expect(timeline.status == 65 && timeline.standardError.contains("no incident on file"))
        let ended = try await BuiltProgram.run(["incident", "end"], environment: environment)
        #expect(ended.status == 65 && ended.standardError.contains("no incident is open"))
        let bad = try await BuiltProgram.run(["timeline", "--since", "yesterday"], environment: environment)
        #expect(bad.status == 64 && bad.standardError.contains("'yesterday' is not a time"))
    }
}
