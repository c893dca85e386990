import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Failover, failback and redistribution on a real haproxy, with traffic through its frontend.
@Suite("Failover and redistribution on a real haproxy", .timeLimit(.minutes(2)))
struct FailoverIntegrationTests {
    @Test func failoverMakesTheBackupsServeAndFailbackRestoresRecordedStates() async throws {
        try await ActionIntegrationTests.with { context in
            _ = try await context.run(.setAdmin(.drain), "be_web/web2")  // DRAIN before the incident
            let snapshot = try await context.driver.snapshot()
            let plan = try FailoverPlanner.failover(backend: "be_web", mode: .maint, on: snapshot)
            let store = FailoverStore(besides: context.audit)
            try store.save(
                .init(time: "t", socket: snapshot.info.socket, backend: "be_web", mode: "maint", before: plan.before))
            let outcome = try await context.executor.execute(plan, balancer: snapshot.info)
            #expect(outcome.succeeded, "\(outcome.summary)")
            let after = try await context.driver.snapshot()
            #expect(after.backend(named: "be_web")?.runsOnBackups == true)

            context.lab.resetCounts()
            let report = await TrafficGenerator.send(count: 100, to: "/be_web/", port: context.lab.frontendPort)
            #expect(report.statuses[200] == 100)
            let counts = context.lab.servedCounts(backend: "be_web")
            #expect(["web1", "web2", "web3", "web4"].allSatisfy { counts[$0] == 0 }, "\(counts)")
            #expect((counts["web-bk1"] ?? 0) + (counts["web-bk2"] ?? 0) == 100)
            #expect((counts["web-bk2"] ?? 0) > 20, "allbackups shares the load: \(counts)")

            let recorded = try #require(try store.record(socket: snapshot.info.socket, backend: "be_web"))
            for failback in try FailoverPlanner.failback(
                recorded: recorded.before, backend: "be_web", gradual: true, on: after)
            {
                // Each step of a gradual fail back is projected on the state the previous step left.
                let step = ActionPlanner.reproject(failback, on: try await context.driver.snapshot())
                let result = try await context.executor.execute(step, balancer: snapshot.info)
                #expect(result.succeeded, "\(result.summary)")
            }
            let restored = try await context.driver.snapshot()
            #expect(restored.server("be_web", "web1")?.admin.mode == .ready)
            #expect(restored.server("be_web", "web2")?.admin.mode == .drain)  // not "everything ready"
            #expect(restored.backend(named: "be_web")?.activeUp == 3)
            try store.remove(socket: snapshot.info.socket, backend: "be_web")
            #expect(try store.record(socket: snapshot.info.socket, backend: "be_web") == nil)
        }
    }

    /// Tolerance: ±6 points over 600 requests on roundrobin.
    @Test func redistributionSplitMatchesTheProjection() async throws {
        try await ActionIntegrationTests.with { context in
            let snapshot = try await context.driver.snapshot()
            let plan = try RedistributionPlanner.plan(
                .move(percent: 25, from: ["web1"], to: ["web4"]), backend: "be_web", on: snapshot)
            let outcome = try await context.executor.execute(plan.actions, balancer: snapshot.info)
            #expect(outcome.succeeded, "\(outcome.summary)")
            context.lab.resetCounts()
            let report = await TrafficGenerator.send(
                count: 600, to: "/be_web/", port: context.lab.frontendPort, concurrency: 6)
            #expect(report.statuses[200] == 600)
            let counts = context.lab.servedCounts(backend: "be_web")
            for row in plan.rows {
                let observed = Double(counts[row.server] ?? 0) / 600
                #expect(
                    abs(observed - row.shareAfter) <= 0.06,
                    "\(row.server): observed \(observed), projected \(row.shareAfter)")
            }
            #expect(Double(counts["web1"] ?? 0) / 600 < 0.05)  // 25 % moved away from a 25 % share
        }
    }

    @Test func aServerThatDisappearsUnderThePlanStopsItBeforeAnythingIsSent() async throws {
        try await ActionIntegrationTests.with { context in
            let snapshot = try await context.driver.snapshot()
            let plan = try RedistributionPlanner.plan(.even([]), backend: "be_api", on: snapshot)
            #expect(plan.actions.steps.count == 2)  // api2 50 → 100, api3 10 → 100 (api1 is already 100)
            // The balancer changes under the plan: api3 disappears before it is sent.
            _ = try await context.driver.execute(try .raw("set server be_api/api3 state maint"))
            _ = try await context.driver.execute(try .raw("del server be_api/api3"))
            await #expect {
                try await context.executor.execute(plan.actions, balancer: snapshot.info)
            } throws: { error in
                (error as? PlanChanged)?.recheck.changes.contains("be_api/api3: no longer reported by the balancer")
                    == true
            }
            #expect(try await context.server("be_api/api2")?.weight == 50)  // nothing was sent
            #expect(try context.audit.records().records.isEmpty)
        }
    }

    @Test func partialFailureIsReportedAndRolledBack() async throws {
        try await ActionIntegrationTests.with { context in
            let snapshot = try await context.driver.snapshot()
            let valid = try RedistributionPlanner.plan(.even([]), backend: "be_api", on: snapshot).actions
            // A second step HAProxy refuses at send time (the plan's basis still holds, so it is sent).
            var plan = valid
            plan.steps = [valid.steps[0], .setWeight(try ServerRef(parsing: "be_api/api9"), .absolute(100))]
            let outcome = try await context.executor.execute(plan, balancer: snapshot.info)
            #expect(!outcome.succeeded)
            #expect(outcome.failure?.code == .noSuchServer)
            #expect(outcome.exchanges.count == 1)  // api2 applied, api9 refused
            #expect(try await context.server("be_api/api2")?.weight == 100)
            let rollback = try #require(try await context.executor.rollback(outcome, balancer: snapshot.info))
            #expect(rollback.succeeded, "\(rollback.summary)")
            #expect(try await context.server("be_api/api2")?.weight == 50)
            let records = try context.audit.records().records
            #expect(
                records.filter { !$0.isAttempt }.map(\.intent) == [
                    "redistribute be_api", "rollback of redistribute be_api",
                ])
            #expect(records.filter(\.isAttempt).count == 2)
        }
    }
}

/// Without `option allbackups` only the first backup serves; Switchboard reads that from the BACKEND row.
@Suite("First backup only", .timeLimit(.minutes(1)))
struct FirstBackupOnlyTests {
    static let spec = LabSpec(backends: [
        .init(
            name: "be_one", allBackups: false,
            servers: [.init("a1"), .init("b1", backup: true), .init("b2", backup: true)]),
        .init(
            name: "be_all", allBackups: true,
            servers: [.init("a1"), .init("b1", backup: true), .init("b2", backup: true)]),
    ])

    @Test func detectedFromTheBackendWeightAndConfirmedByTraffic() async throws {
        try await Lab.with(Self.spec) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            try await Deadline.waitUntil("every server is UP", timeout: .seconds(6)) {
                try await driver.snapshot().allServers.allSatisfy { $0.status.text == "UP" }
            }
            let before = try await driver.snapshot()
            var detector = EventDetector()
            let audit = AuditLog(path: lab.directory + "/audit.jsonl")
            let executor = ActionExecutor(driver: driver, audit: audit, via: "test")
            for name in ["be_one", "be_all"] {
                let snapshot = try await driver.snapshot()
                let outcome = try await executor.execute(
                    try FailoverPlanner.failover(backend: name, on: snapshot), balancer: snapshot.info)
                #expect(outcome.succeeded)
            }
            let after = try await driver.snapshot()
            let messages = detector.detect(previous: before, current: after, at: Date()).filter {
                $0.kind == .runningOnBackups
            }
            .map(\.message)
            #expect(
                messages.contains {
                    $0.hasPrefix("be_one") && $0.hasSuffix("only b1 takes traffic (no option allbackups)")
                })
            #expect(messages.contains { $0.hasPrefix("be_all") && !$0.contains("only") })
            #expect(FailoverPlanner.backupsInUse(try #require(after.backend(named: "be_one")))?.map(\.name) == ["b1"])
            #expect(
                FailoverPlanner.backupsInUse(try #require(after.backend(named: "be_all")))?.map(\.name) == ["b1", "b2"])
            lab.resetCounts()
            _ = await TrafficGenerator.send(count: 40, to: "/be_one/", port: lab.frontendPort)
            #expect(lab.servedCounts(backend: "be_one") == ["a1": 0, "b1": 40, "b2": 0])
            await driver.close()
        }
    }
}
