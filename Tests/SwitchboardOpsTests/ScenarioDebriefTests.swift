import Foundation
import SnapshotTesting
import SwitchboardCore
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// The training debrief, built from the recorded incident's real audit log (an operator's MAINT, failover, fail
/// back and ready on two balancers) and a made-up service history: its figures, its score and its Markdown.
@Suite("Scenario debrief")
struct ScenarioDebriefTests {
    static let rule = RecoveryRule(maxFailedShare: 0.01, maxMeanMilliseconds: 500, windowSeconds: 5)

    /// 10 quiet seconds, 20 hurt ones (half the requests failing, slow), then healthy; the incident's first
    /// record is 5 s after the faults.
    static func debrief(recovered: Bool) throws -> ScenarioDebrief {
        let records = try TimelineTests.audit.records().records
        let first = try #require(records.first.flatMap { AuditRecord.date(fromTimestamp: $0.time) })
        let faultAt = first.addingTimeInterval(-5)
        let quiet = ServiceSecond(requests: 20, failed: 0, totalMilliseconds: 20 * 90)
        let hurt = ServiceSecond(requests: 20, failed: 10, totalMilliseconds: 20 * 2_000)
        let seconds =
            Array(repeating: quiet, count: 10) + Array(repeating: hurt, count: 20)
            + Array(repeating: recovered ? quiet : hurt, count: 10)
        return ScenarioDebrief.build(
            scenario: "failover-never-comes", title: "The primaries overload",
            ending: recovered ? "recovered" : "time-up",
            startedAt: faultAt.addingTimeInterval(-10), faultAt: faultAt, endedAt: faultAt.addingTimeInterval(30),
            seconds: seconds, faultSecond: 10, recoveredSecond: recovered ? 30 : nil, records: records,
            reference: ["Fail be_web over to its backups."], parSeconds: 15, rule: rule)
    }

    @Test func theFiguresComeFromTheServiceAndTheAuditLog() throws {
        let debrief = try Self.debrief(recovered: true)
        #expect(debrief.firstActionSeconds == 5)
        #expect(debrief.mitigationSeconds == 20)
        #expect(debrief.requestsDuring == 400 && debrief.requestsFailed == 200)
        #expect(debrief.actions.count == 4, "one per intent, however many balancers: \(debrief.actions)")
        #expect(debrief.actions.allSatisfy { !$0.summary.hasPrefix($0.actor) }, "the actor is not written twice")
        // 100 − (20 − 15) / 2 late − 50 % failed / 2.
        #expect(debrief.score == 100 - 2 - 25)
        #expect(debrief.service.first?.seconds == -10 && debrief.service.count == 8)
    }

    @Test func notRecoveredScoresZeroAndSaysSo() throws {
        let debrief = try Self.debrief(recovered: false)
        #expect(debrief.score == 0 && debrief.mitigationSeconds == nil)
        #expect(debrief.markdown.contains("- **Result:** not recovered before time ran out · **score 0/100**"))
        #expect(debrief.markdown.contains("- **Time to mitigation:** not mitigated"))
    }

    @Test func theScoreCostsLatenessAndFailuresWithinTheirCaps() {
        #expect(ScenarioDebrief.score(mitigationSeconds: 10, parSeconds: 60, failedShare: 0) == 100)
        #expect(ScenarioDebrief.score(mitigationSeconds: 600, parSeconds: 60, failedShare: 1) == 0)
        #expect(ScenarioDebrief.score(mitigationSeconds: 100, parSeconds: 60, failedShare: 0.1) == 100 - 20 - 5)
        #expect(ScenarioDebrief.score(mitigationSeconds: nil, parSeconds: 60, failedShare: 0) == 0)
    }

    @Test func theMarkdownMatchesItsGoldenFile() throws {
        let record: SnapshotTestingConfiguration.Record =
            ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true ? .never : .missing
        let markdown = try Self.debrief(recovered: true).markdown
        withSnapshotTesting(record: record) {
            assertSnapshot(of: markdown, as: .lines, named: "debrief")
        }
    }
}
