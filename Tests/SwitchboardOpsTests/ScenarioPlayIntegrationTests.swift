import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Each training scenario plays what it promises on a real haproxy with real origins and the users' real
/// traffic: the setup the trainee inherits, then the incident, as the balancer reports it.
@Suite("Training scenarios play on a real balancer", .serialized, .timeLimit(.minutes(3)))
struct ScenarioPlayIntegrationTests {
    static func snapshot(_ lab: Lab) async throws -> BalancerSnapshot {
        try await HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot)).snapshot()
    }

    static func player(
        _ scenario: Scenario, _ lab: Lab, limit: Duration, window: Int = 3, audit: AuditLog? = nil
    ) -> ScenarioPlayer {
        ScenarioPlayer(
            scenario: scenario, lab: lab, rule: RecoveryRule(windowSeconds: window), timeLimit: limit,
            previousShiftMaint: { server in
                let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
                let snapshot = try await driver.snapshot()
                let plan = try ActionPlanner.plan(
                    ActionIntent(
                        targets: [try ServerRef(backend: server.backend, server: server.name)],
                        operation: .setAdmin(.maint)), on: snapshot)
                let log = audit ?? AuditLog(path: lab.directory + "/audit.jsonl")
                _ = try await ActionExecutor(driver: driver, audit: log, via: "previous shift").execute(
                    plan, balancer: snapshot.info)
            })
    }

    /// Nobody acts: the backups go DOWN first (setup), then the actives; be_web has nothing left, every user
    /// request fails, and the play ends when time is up.
    @Test func backupsDownLeavesTheWebPoolWithNoServerAndTheUsersWithErrors() async throws {
        try await Lab.with(.liveDemo) { lab in
            let play = Task { try await Self.player(.backupsDown, lab, limit: .seconds(8)).play() }
            try await Deadline.waitUntil("both backups DOWN during the lead", timeout: .seconds(6)) {
                try await Self.snapshot(lab).backend(named: "be_web")?.backupServers.allSatisfy {
                    $0.status.text.hasPrefix("DOWN")
                } == true
            }
            try await Deadline.waitUntil("be_web with no server serving", timeout: .seconds(12)) {
                try await Self.snapshot(lab).backend(named: "be_web")?.servers.allSatisfy { !$0.isServing } == true
            }
            let result = try await play.value
            #expect(result.ending == .timeUp)
            let fault = try #require(result.faultSecond)
            let hurt = try #require(result.hurtSecond, "the users were hurt")
            #expect(hurt >= fault)
            let after = result.seconds.suffix(3)
            #expect(after.allSatisfy { $0.requests > 0 && $0.failed == $0.requests }, "\(after)")
        }
    }

    /// web2 keeps leaving and re-entering rotation, and the users see errors in bursts.
    @Test func theFlappingServerGoesDownAndComesBackAgain() async throws {
        try await Lab.with(.liveDemo) { lab in
            let play = Task {
                try await Self.player(
                    .flappingServer, lab, limit: .seconds(60),
                    window: Scenario.flappingServer.minimumWindowSeconds
                ).play()
            }
            var seen: [String] = []
            try await Deadline.waitUntil("web2 DOWN, UP and DOWN again", timeout: .seconds(30)) {
                let status = try await Self.snapshot(lab).server("be_web", "web2")?.status.text ?? "?"
                let state = status.hasPrefix("DOWN") ? "DOWN" : status.hasPrefix("UP") ? "UP" : "other"
                if seen.last != state, state != "other" { seen.append(state) }
                return seen.drop { $0 != "DOWN" }.starts(with: ["DOWN", "UP", "DOWN"])
            }
            play.cancel()
            let result = try await play.value
            #expect(result.ending == .stopped)
            let failed = result.seconds.dropFirst(result.faultSecond ?? 0).reduce(0) { $0 + $1.failed }
            #expect(failed > 0, "users saw the 503s of web2 coming back failing")
        }
    }

    /// The previous shift's MAINT (audited) is undone by the reload; `reapply`'s finder names it.
    @Test func theReloadRevertsThePreviousShiftsMaintAndTheAuditLogKnowsIt() async throws {
        try await Lab.with(.liveDemo) { lab in
            let audit = AuditLog(path: lab.directory + "/audit.jsonl")
            let since = AuditRecord.timestamp(Date())
            let play = Task { try await Self.player(.reloadReverts, lab, limit: .seconds(60), audit: audit).play() }
            try await Deadline.waitUntil("web3 in MAINT from the previous shift", timeout: .seconds(6)) {
                try await Self.snapshot(lab).server("be_web", "web3")?.admin.mode == .maint
            }
            let before = try await lab.workerPid()
            try await Deadline.waitUntil("the reload put web3 back", timeout: .seconds(25)) {
                let snapshot = try await Self.snapshot(lab)
                return snapshot.info.pid != before && snapshot.server("be_web", "web3")?.admin.mode == .ready
            }
            let lost = LostChanges.toReapply(
                in: try audit.records().records, on: try await Self.snapshot(lab), since: since)
            #expect(lost.map(\.recorded.server.description) == ["be_web/web3"])
            #expect(lost.first?.recorded.admin == .maint)
            try await Deadline.waitUntil("the users see web3's errors", timeout: .seconds(10)) {
                lab.origin("be_web", "web3")!.served > 0
            }
            play.cancel()
            _ = try await play.value
        }
    }
}
