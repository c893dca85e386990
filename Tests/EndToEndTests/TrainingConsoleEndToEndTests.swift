import Foundation
import SwitchboardTestSupport
import Testing

/// Issue 11's scripted trainee who does nothing, in the console as a person opens it: the brief, Enter, the
/// scenario's clock in the header while the incident plays, and when time is up the console closes and the
/// debrief says the service was not recovered, no action was taken, and what the reference solution was.
@Suite("Training in the console (tmux, real haproxy)", .serialized, .timeLimit(.minutes(2)))
struct TrainingConsoleEndToEndTests {
    @Test func aTraineeWhoDoesNothingRunsOutOfTimeAndScoresZero() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idle-trainee-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = try TmuxSession.start(
            command: ConsoleEndToEndTests.command(
                "demo --scenario failover-never-comes --time-limit 6 --recovery-window 3 --interval 500ms "
                    + "--audit-log \(directory)/audit.jsonl --debrief \(directory)/debrief.md"),
            width: 160, height: 80)
        defer { tmux.close() }
        let brief = try await tmux.waitFor("Press Enter to take the console", timeout: .seconds(20))
        #expect(brief.contains("SCENARIO failover-never-comes: The primaries overload"))
        #expect(brief.contains("checkout is crawling"))
        #expect(!brief.contains("Reference solution"))
        try tmux.send("Enter")
        try await tmux.waitForScreen("the scenario's clock in the header") {
            $0.contains("SCENARIO failover-never-comes · ") && $0.contains(" left") && $0.contains("be_web")
        }
        let debrief = try await tmux.waitFor("DONE", timeout: .seconds(45))
        #expect(debrief.contains("# Debrief: failover-never-comes"), "\(debrief)")
        #expect(debrief.contains("- **Result:** not recovered before time ran out · **score 0/100**"))
        #expect(debrief.contains("- **Time to first action:** no action taken"))
        #expect(debrief.contains("## Reference solution"))
        #expect(debrief.contains("EXIT=1"))
        #expect(debrief.contains("icanon") && !debrief.contains("-icanon"), "the terminal is restored")
        let written = try String(contentsOfFile: directory + "/debrief.md", encoding: .utf8)
        #expect(written.contains("## What the users saw"))
    }
}
