import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Issue 11's scripted trainee: `switchboard demo --scenario failover-never-comes` without a terminal, and a
/// trainee who watches the balancer like an operator would (`status`), notices the queue on be_web and fails it
/// over to the backups from the command line. The scenario sees the users served again and debriefs.
@Suite("Training: a trainee who mitigates", .serialized, .timeLimit(.minutes(3)))
struct TrainingTraineeTests {
    /// The demo's admin socket, from its banner.
    static func adminSocket(in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("admin socket") }) else { return nil }
        return line.split(separator: " ").first { $0.hasSuffix("admin.sock") }.map(String.init)
    }

    @Test func failingOverToTheBackupsRecoversTheServiceAndTheDebriefSaysSo() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trainee-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let audit = directory + "/audit.jsonl", debrief = directory + "/debrief.md"
        let demo = try RunningProgram(
            [
                "demo", "--scenario", "failover-never-comes", "--time-limit", "60", "--recovery-window", "4",
                "--audit-log", audit, "--debrief", debrief, "--interval", "1s",
            ], mergeErrors: true)
        defer { if demo.isRunning { demo.kill() } }
        try await Deadline.waitUntil("the brief and the admin socket", timeout: .seconds(20)) {
            Self.adminSocket(in: demo.output) != nil && demo.output.contains("checkout is crawling")
        }
        #expect(!demo.output.contains("failover be_web"), "the brief does not give the answer away")
        let socket = try #require(Self.adminSocket(in: demo.output))
        // The trainee watches until something is wrong: requests queue on be_web while all its servers are UP.
        try await Deadline.waitUntil("requests queued on be_web", timeout: .seconds(30), interval: .milliseconds(500)) {
            let status = try await BuiltProgram.run(["status", "--json", "--socket", socket])
            let document = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
            let backends = (document?["backends"] as? [[String: Any]]) ?? []
            return backends.contains { $0["name"] as? String == "be_web" && ($0["queue"] as? Int ?? 0) > 0 }
        }
        let failover = try await BuiltProgram.run(
            ["failover", "be_web", "--yes", "--confirm", "be_web", "--socket", socket, "--audit-log", audit])
        #expect(failover.status == 0, "\(failover.standardOutput)\(failover.standardError)")
        #expect(failover.standardOutput.contains("hands over the queue"), "\(failover.standardOutput)")
        try await demo.waitForExit(timeout: .seconds(60))
        #expect(demo.status == 0, "recovered: exit 0\n\(demo.output.suffix(2000))")
        let written = try String(contentsOfFile: debrief, encoding: .utf8)
        #expect(written.contains("- **Result:** recovered"), "\(written)")
        #expect(written.contains("failed over be_web to backups"))
        #expect(!written.contains("no action taken") && !written.contains("not mitigated"))
        let score = written.split(separator: "\n").first { $0.contains("**score ") }
            .flatMap { $0.split(separator: "score ").last?.split(separator: "/").first }.flatMap { Int($0) }
        #expect((score ?? 0) > 0, "\(written)")
        #expect(demo.output.contains("# Debrief: failover-never-comes"), "the debrief is printed too")
        #expect(demo.output.contains("demo stopped; haproxy pid(s)"))
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
