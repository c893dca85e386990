import Foundation
import SnapshotTesting
import SwitchboardCore
import SwitchboardLab
import Testing

/// Each training scenario's brief, as the trainee reads it before the incident: a golden file per scenario, and
/// never the answer.
@Suite("Scenario briefs")
struct ScenarioBriefTests {
    @Test(arguments: Scenario.all.map(\.name))
    func theBriefMatchesItsGoldenFileAndGivesNoAnswerAway(name: String) throws {
        let scenario = try #require(Scenario.named(name))
        let brief = scenario.briefText(
            rule: RecoveryRule(), timeLimitSeconds: 600, auditLog: "/var/lib/switchboard/audit.jsonl")
        let body = brief.split(separator: "\n").dropFirst().joined(separator: "\n")  // the first line is the title
        for answer in ["switchboard ", "failover", "maint be_web", "reapply", "be_standby", "web2", "backups take"] {
            #expect(!body.contains(answer), "the brief of \(name) gives away '\(answer)'")
        }
        let record: SnapshotTestingConfiguration.Record =
            ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true ? .never : .missing
        withSnapshotTesting(record: record) {
            assertSnapshot(of: brief, as: .lines, named: name)
        }
    }
}
