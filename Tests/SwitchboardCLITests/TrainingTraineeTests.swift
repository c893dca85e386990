import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Issue 11's scripted trainees, on every scenario: `switchboard demo --scenario NAME` without a terminal, a trainee
/// who watches the balancer like an operator (`status --json`), notices the symptom and mitigates it from the
/// command line — the scenario ends as recovered and the debrief lists the action — and one who does nothing —
/// time runs out and the debrief says so.
@Suite("Training: scripted trainees on every scenario", .serialized, .timeLimit(.minutes(5)))
struct TrainingTraineeTests {
    /// What a trainee who knows the answer watches for, and the command that mitigates.
    struct Answer: Sendable, CustomTestStringConvertible {
        let scenario: String
        let window: Int
        /// The symptom, in `status --json`'s be_web.
        let noticed: @Sendable ([String: Any]) -> Bool
        let command: @Sendable (String) -> [String]
        /// The debrief's line for the action.
        let action: String
        var testDescription: String { scenario }
    }

    static func server(_ backend: [String: Any], _ name: String) -> [String: Any]? {
        (backend["servers"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    static let answers: [Answer] = [
        Answer(
            scenario: "failover-never-comes", window: 4, noticed: { ($0["queue"] as? Int ?? 0) > 0 },
            command: { ["failover", "be_web", "--yes", "--confirm", "be_web", "--socket", $0] },
            action: "failed over be_web to backups"),
        Answer(
            scenario: "flapping-server", window: 12,
            noticed: { (server($0, "web2")?["status"] as? String ?? "").hasPrefix("DOWN") },
            command: { ["maint", "be_web/web2", "--yes", "--socket", $0] }, action: "put be_web/web2 in MAINT"),
        Answer(
            scenario: "backups-down", window: 4, noticed: { ($0["activeUp"] as? Int) == 0 },
            command: { ["failover-routes", "be_web", "--to", "be_standby", "--yes", "--socket", $0] },
            action: "be_standby"),
        Answer(
            scenario: "reload-reverts", window: 4,
            // web3 back in service and its errors reaching users, as an operator sees it: acting on the revert
            // alone can beat the first failed request (the scenario counts an incident only once users are hurt).
            noticed: {
                server($0, "web3")?["admin"] as? String == "ready" && (server($0, "web3")?["http5xx"] as? Int ?? 0) > 0
            },
            command: { ["reapply", "--yes", "--socket", $0] }, action: "be_web/web3"),
    ]

    /// The demo's admin socket, from its banner.
    static func adminSocket(in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("admin socket") }) else { return nil }
        return line.split(separator: " ").first { $0.hasSuffix("admin.sock") }.map(String.init)
    }

    static func demo(_ scenario: String, window: Int, limit: Int, in directory: String) throws -> RunningProgram {
        try RunningProgram(
            [
                "demo", "--scenario", scenario, "--lead", "2", "--time-limit", "\(limit)", "--recovery-window",
                "\(window)", "--audit-log", directory + "/audit.jsonl", "--debrief", directory + "/debrief.md",
                "--interval", "1s",
            ], mergeErrors: true)
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trainee-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func score(_ debrief: String) -> Int? {
        debrief.split(separator: "\n").first { $0.contains("**score ") }
            .flatMap { $0.split(separator: "score ").last?.split(separator: "/").first }.flatMap { Int($0) }
    }

    /// The incident itself is played in ``TrainingIncidentTraineeTests`` (also on HAProxy 3.4); the other three here.
    @Test(arguments: answers.dropFirst())
    func aTraineeWhoMitigatesRecoversTheServiceAndTheDebriefListsTheAction(_ answer: Answer) async throws {
        try await Self.mitigate(answer)
    }

    /// Plays `answer`'s scenario with a trainee who notices its symptom and runs its command.
    static func mitigate(_ answer: Answer) async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let demo = try Self.demo(answer.scenario, window: answer.window, limit: 60, in: directory)
        defer { if demo.isRunning { demo.kill() } }
        try await Deadline.waitUntil("the brief and the admin socket", timeout: .seconds(20)) {
            Self.adminSocket(in: demo.output) != nil && demo.output.contains("SCENARIO \(answer.scenario):")
        }
        let socket = try #require(Self.adminSocket(in: demo.output))
        #expect(!demo.output.contains("Try: "), "no hint under a scenario")
        try await Deadline.waitUntil("the symptom", timeout: .seconds(30), interval: .milliseconds(300)) {
            let status = try await BuiltProgram.run(["status", "--json", "--socket", socket])
            let document = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
            let web = ((document?["backends"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == "be_web" }
            return web.map(answer.noticed) ?? false
        }
        let mitigation = try await BuiltProgram.run(
            answer.command(socket) + ["--audit-log", directory + "/audit.jsonl"])
        #expect(mitigation.status == 0, "\(mitigation.standardOutput)\(mitigation.standardError)")
        if answer.scenario == "failover-never-comes" {
            #expect(mitigation.standardOutput.contains("hands over the queue"), "\(mitigation.standardOutput)")
        }
        try await demo.waitForExit(timeout: .seconds(70))
        #expect(demo.status == 0, "recovered: exit 0\n\(demo.output.suffix(2500))")
        let written = try String(contentsOfFile: directory + "/debrief.md", encoding: .utf8)
        #expect(written.contains("- **Result:** recovered"), "\(written)")
        let actions = written.components(separatedBy: "## Actions taken").last ?? ""
        #expect(actions.contains(answer.action), "\(written)")
        #expect(!written.contains("no action taken") && !written.contains("not mitigated"))
        #expect((Self.score(written) ?? 0) > 0, "\(written)")
        #expect(demo.output.contains("# Debrief: \(answer.scenario)"), "the debrief is printed too")
        #expect(demo.output.contains("demo stopped; haproxy pid(s)"))
    }

    /// (The incident itself with a trainee who does nothing is also played in the console: TrainingConsoleEndToEndTests.)
    @Test(arguments: Self.answers.map(\.scenario))
    func aTraineeWhoDoesNothingRunsOutOfTime(_ scenario: String) async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let window = scenario == "flapping-server" ? 12 : 3
        let demo = try Self.demo(scenario, window: window, limit: 6, in: directory)
        defer { if demo.isRunning { demo.kill() } }
        try await demo.waitForExit(timeout: .seconds(40))
        #expect(demo.status == 1, "not recovered: exit 1\n\(demo.output.suffix(2500))")
        let written = try String(contentsOfFile: directory + "/debrief.md", encoding: .utf8)
        #expect(written.contains("- **Result:** not recovered before time ran out · **score 0/100**"), "\(written)")
        #expect(written.contains("- **Time to first action:** no action taken"))
        #expect(written.contains("## Reference solution"))
        let failed = written.split(separator: "\n").first { $0.hasPrefix("- **Requests failed during:**") } ?? ""
        #expect(!failed.contains("** 0 of"), "the users were hurt: \(failed)")
    }

    @Test func anUnknownScenarioOrATooShortWindowIsRefusedBeforeAnythingStarts() async throws {
        let unknown = try await BuiltProgram.run(["demo", "--scenario", "nope", "--plain"])
        #expect(unknown.status != 0)
        #expect(unknown.standardError.contains("unknown scenario 'nope'; there are: failover-never-comes"))
        let short = try await BuiltProgram.run(
            ["demo", "--scenario", "flapping-server", "--recovery-window", "5", "--plain"])
        #expect(short.standardError.contains("too short for flapping-server"), "\(short.standardError)")
        let list = try await BuiltProgram.run(["demo", "--list-scenarios"])
        #expect(list.status == 0)
        #expect(
            list.standardOutput.split(separator: "\n").map { String($0.prefix { $0 != " " }) } == [
                "failover-never-comes", "flapping-server", "backups-down", "reload-reverts",
            ])
    }
}

/// The incident this product exists for, with a trainee who fails be_web over to its backups from the command
/// line: the failover hands the backend's queue to the backups (HAProxy 2.6 and 3.4 differ without it), the users
/// are served again, the debrief lists the failover. Runs on both HAProxy versions.
@Suite("Training: the incident itself, mitigated", .serialized, .timeLimit(.minutes(2)))
struct TrainingIncidentTraineeTests {
    @Test func failingOverToTheBackupsRecoversTheServiceAndTheDebriefSaysSo() async throws {
        try await TrainingTraineeTests.mitigate(TrainingTraineeTests.answers[0])
    }
}
