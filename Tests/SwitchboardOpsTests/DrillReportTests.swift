import Foundation
import SnapshotTesting
import SwitchboardCore
import Testing

/// The drill report as a runbook or CI artefact reads it (issue 11): a golden of a failed drill whose restore could
/// not finish, the exit status of each ending, and the watch's arithmetic on lbtot deltas.
@Suite("Drill report")
struct DrillReportTests {
    static func report() -> DrillReport {
        var spec = DrillSpec(backend: "be_web", injection: .healthDown, expect: .backups)
        spec.within = 10
        var report = DrillReport(
            spec: spec, balancer: "/run/haproxy/admin.sock", version: "2.6.12", started: "2026-12-02T08:35:00.000Z",
            injected: ["be_web/web1", "be_web/web2"])
        report.ended = "2026-12-02T08:35:31.500Z"
        report.result = .fail
        report.hypotheses = [
            .init(phase: "before", statement: "5xx ≤ 5/s", measured: "0.0/s", held: true),
            .init(
                phase: "during", statement: "the backups take ≥ 95 % of new sessions within 10 s",
                measured: "not observed (0 of 212 new sessions)", held: false),
        ]
        report.totalSessions = 212
        report.errorsServed = 212
        report.restored = false
        report.leftToRestore = ["be_web/web2: ready, weight 100 (connection refused)"]
        report.finishWith = "switchboard failback be_web --socket /run/haproxy/admin.sock"
        return report
    }

    @Test func aFailedDrillWithAnUnfinishedRestoreMatchesItsGoldenFile() {
        let record: SnapshotTestingConfiguration.Record =
            ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true ? .never : .missing
        let markdown = Self.report().markdown()
        withSnapshotTesting(record: record) { assertSnapshot(of: markdown, as: .lines, named: "unfinished-restore") }
    }

    @Test func theExitStatusTellsPassFailAbortAndUnrestoredApart() {
        var report = Self.report()
        #expect(report.exitCode == 3, "not restored wins")
        report.restored = true
        #expect(report.exitCode == 1)
        report.result = .aborted
        #expect(report.exitCode == 2)
        report.result = .pass
        #expect(report.exitCode == 0)
    }

    @Test func theShiftIsTheFirstReadWhoseNewSessionsAreOnTheExpectedServers() throws {
        func backend(_ totals: [String: Int], _ http5xx: Int = 0) -> Backend {
            Backend(
                name: "be_web", status: "UP", http5xx: http5xx,
                servers: ["web1", "web2", "bk1"].map { name in
                    Server(
                        name: name, backend: "be_web", isBackup: name == "bk1", status: ServerStatus("UP"),
                        admin: AdminState(mode: .ready), health: .up, weight: 100, selectedTotal: totals[name] ?? 0)
                })
        }
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let targets = [
            try ServerRef(backend: "be_web", server: "web1"), try ServerRef(backend: "be_web", server: "web2"),
        ]
        var spec = DrillSpec(backend: "be_web", injection: .healthDown, expect: .backups)
        spec.abortErrorRate = 10
        var watch = DrillWatch(spec: spec, injected: targets, baseline: backend(["web1": 50, "web2": 50]), at: t0)
        // Sessions still landing on the actives: not shifted (10 of 20 on the backup).
        #expect(watch.observe(backend(["web1": 55, "web2": 55, "bk1": 10]), at: t0.addingTimeInterval(1)) == nil)
        #expect(watch.firstOnExpected == 1 && watch.shifted == nil)
        #expect(watch.observe(backend(["web1": 55, "web2": 55, "bk1": 30]), at: t0.addingTimeInterval(2)) == nil)
        #expect(watch.shifted == 2)
        #expect(watch.expectedSessions == 30 && watch.totalSessions == 40)
        let abort = watch.observe(backend(["web1": 55, "web2": 55, "bk1": 30], 30), at: t0.addingTimeInterval(4))
        #expect(abort == "5xx at 15.0/s, above the abort limit of 10.0/s")
    }
}
