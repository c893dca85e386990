import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// `drill --probe URL`: an HTTP check through the frontend, as the users reach it, is a hypothesis before, during
/// and after the drill, and failing for longer than `--abort-probe` aborts it (restored).
@Suite("drill --probe (real haproxy, real frontend)", .serialized, .timeLimit(.minutes(3)))
struct DrillProbeTests {
    @Test func theFrontendAnsweringThroughTheFailoverHoldsBeforeDuringAndAfter() async throws {
        try await Lab.with(.demo) { lab in
            try await DrillCommandTests.waitUntilAllUp(lab)
            let traffic = DrillCommandTests.traffic(lab)
            defer { traffic.cancel() }
            let url = "http://127.0.0.1:\(lab.frontendPort)/be_web/"
            let result = try await DrillCommandTests.drill(
                lab, ["--within", "5s", "--duration", "5s", "--probe", url])
            #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            let report = try DrillCommandTests.report(result)
            let probes = report.hypotheses.filter { $0.statement.hasPrefix(url) }
            #expect(probes.map(\.phase) == ["before", "during", "after"], "\(report.hypotheses)")
            #expect(probes.allSatisfy { $0.held })
            #expect(probes.first { $0.phase == "during" }?.measured.contains("answered 2xx") == true)
            #expect(report.spec.probe?.description == url)
        }
    }

    @Test func aProbeFailingDuringTheDrillAbortsItAndEverythingIsRestored() async throws {
        try await Lab.with(.demo) { lab in
            try await DrillCommandTests.waitUntilAllUp(lab)
            await lab.origin("be_web", "web-bk1")?.stop()
            await lab.origin("be_web", "web-bk2")?.stop()
            try await Deadline.waitUntil("the backups DOWN", timeout: .seconds(15)) {
                try await ActionCommandTests.admin(lab).backend(named: "be_web")!.backupUp == 0
            }
            let before = try await DrillCommandTests.states(lab)
            let result = try await DrillCommandTests.drill(
                lab,
                [
                    "--within", "20s", "--abort-no-server", "60s", "--min-serving", "0", "--max-5xx", "1000",
                    "--probe", "http://127.0.0.1:\(lab.frontendPort)/be_web/", "--abort-probe", "1s",
                ])
            #expect(result.status == 2, "\(result.standardOutput)\(result.standardError)")
            let report = try DrillCommandTests.report(result)
            #expect(report.result == .aborted && report.restored)
            #expect(
                report.abortReason?.hasPrefix("the probe http://127.0.0.1:\(lab.frontendPort)/be_web/ failed for")
                    == true, "\(report.abortReason ?? "")")
            #expect(report.abortReason?.contains("(last: 503)") == true, "\(report.abortReason ?? "")")
            #expect(DrillCommandTests.same(try await DrillCommandTests.states(lab), before))
        }
    }

    @Test func aProbeThatCannotWorkIsRefusedBeforeConnecting() async throws {
        let https = try await BuiltProgram.run(
            ["drill", "be_web", "--probe", "https://shop.example/", "--socket", "/none.sock", "--yes"])
        #expect(https.status == 64, "\(https.standardError)")
        #expect(https.standardError.contains("https is not supported"))
        let port = try await BuiltProgram.run(
            ["drill", "be_web", "--probe", "http://127.0.0.1:99999/", "--socket", "/none.sock", "--yes"])
        #expect(port.standardError.contains("the port must be 1–65535"), "\(port.standardError)")
        let host = try await BuiltProgram.run(
            ["drill", "be_web", "--probe", "http://a;b/", "--socket", "/none.sock", "--yes"])
        #expect(host.standardError.contains("is not a host name"), "\(host.standardError)")
    }
}
