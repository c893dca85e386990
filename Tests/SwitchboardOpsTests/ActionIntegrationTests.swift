import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Actions on a real haproxy with real traffic: sent, read back, audited, undone.
@Suite("Actions on a real haproxy", .timeLimit(.minutes(2)))
struct ActionIntegrationTests {
    struct Context {
        let lab: Lab
        let driver: HAProxyDriver
        let executor: ActionExecutor
        let audit: AuditLog

        func run(_ operation: ActionIntent.Operation, _ targets: String..., agent: Bool = false, checks: Bool = false)
            async throws -> ActionOutcome
        {
            let snapshot = try await driver.snapshot()
            let intent = ActionIntent(
                targets: try targets.map(ServerRef.init(parsing:)), operation: operation, disableAgentFirst: agent,
                disableChecksFirst: checks)
            return try await executor.execute(try ActionPlanner.plan(intent, on: snapshot), balancer: snapshot.info)
        }

        func server(_ id: String) async throws -> Server? {
            let parts = id.split(separator: "/").map(String.init)
            return try await driver.snapshot().server(parts[0], parts[1])
        }
    }

    static func with(_ socket: KeyPath<Lab, String> = \.adminSocket, _ body: (Context) async throws -> Void)
        async throws
    {
        try await Lab.with(.demo) { lab in
            let audit = AuditLog(path: lab.directory + "/audit/audit.jsonl")
            let driver = HAProxyDriver(address: .unix(path: lab[keyPath: socket]))
            try await Deadline.waitUntil("every demo server has been checked", timeout: .seconds(6)) {
                try await driver.snapshot().allServers.filter { $0.name != "legacy2" }.allSatisfy {
                    $0.status.text == "UP"
                }
            }
            try await body(
                Context(
                    lab: lab, driver: driver, executor: ActionExecutor(driver: driver, audit: audit, via: "test"),
                    audit: audit))
            await driver.close()
        }
    }

    @Test func eachActionIsSentReadBackAndAudited() async throws {
        try await Self.with { context in
            let drain = try await context.run(.setAdmin(.drain), "be_web/web1")
            #expect(drain.succeeded, "\(drain.summary)")
            #expect(drain.exchanges.map(\.command) == ["set server be_web/web1 state drain"])
            #expect(try await context.server("be_web/web1")?.admin.mode == .drain)

            let weight = try await context.run(.setWeight(absolute: 33, percent: nil), "be_api/api1")
            #expect(weight.succeeded)
            #expect(try await context.server("be_api/api1")?.weight == 33)

            let maint = try await context.run(.setAdmin(.maint), "be_web/web2")
            #expect(maint.succeeded)
            #expect(try await context.server("be_web/web2")?.status.text == "MAINT")

            let down = try await context.run(.forceHealth(up: false), "be_web/web3", checks: true)
            #expect(down.succeeded, "\(down.summary)")
            #expect(
                down.exchanges.map(\.command) == ["disable health be_web/web3", "set server be_web/web3 health down"])
            // With checks disabled the forced state sticks past a check interval: watched for 1.5 s, it never
            // turns UP (with checks on it is UP again within 2 s).
            let clock = ContinuousClock()
            let until = clock.now + .milliseconds(1500)
            var observations = 0
            while clock.now < until {
                #expect(try await context.server("be_web/web3")?.health == .down)
                observations += 1
            }
            #expect(observations > 3)

            let kill = try await context.run(.killSessions, "be_api/api2")
            #expect(kill.succeeded)

            let (all, unreadable) = try context.audit.records()
            let records = all.filter { !$0.isAttempt }
            #expect(unreadable == 0)
            #expect(records.map(\.intent) == ["drain", "weight 33", "maint", "health down", "kill sessions"])
            #expect(records.allSatisfy { $0.verified })
            #expect(records[0].commands.map(\.command) == ["set server be_web/web1 state drain"])
            #expect(records[0].before.first?.admin == .ready)
            #expect(records[0].after.first?.admin == .drain)
            #expect(records[0].user == ActionExecutor.user)
            #expect(records[0].socket == context.lab.adminSocket)
        }
    }

    @Test func undoRestoresThePreviousState() async throws {
        try await Self.with { context in
            _ = try await context.run(.setAdmin(.drain), "be_api/api2")  // drained before: must stay drained
            let action = try await context.run(.setAdmin(.maint), "be_api/api2")
            _ = try await context.run(.setWeight(absolute: 5, percent: nil), "be_api/api3")
            #expect(try await context.server("be_api/api2")?.admin.mode == .maint)
            let undo = try ActionPlanner.undo(action.plan.before, on: try await context.driver.snapshot())
            let outcome = try await context.executor.execute(undo, balancer: try await context.driver.connect())
            #expect(outcome.succeeded, "\(outcome.summary)")
            #expect(try await context.server("be_api/api2")?.admin.mode == .drain)  // recorded state, not "ready"
            #expect(try await context.server("be_api/api3")?.weight == 5)  // not part of that action
            #expect(try context.audit.records().records.filter { !$0.isAttempt }.last?.intent == "undo")
        }
    }

    @Test func lowerLevelSocketsRefuseAndNothingIsClaimed() async throws {
        for socket in [\Lab.userSocket, \Lab.operatorSocket] {
            try await Self.with(socket) { context in
                let outcome = try await context.run(.setAdmin(.drain), "be_web/web1")
                #expect(!outcome.succeeded)
                #expect(outcome.failure?.code == .accessDenied)
                #expect(outcome.failure?.cause == "Permission denied")
                #expect(outcome.summary.hasPrefix("✗"))
                let record = try #require(try context.audit.records().records.filter { !$0.isAttempt }.last)
                #expect(!record.verified && record.error == "access-denied")
                let admin = HAProxyDriver(address: .unix(path: context.lab.adminSocket))
                #expect(try await admin.snapshot().server("be_web", "web1")?.admin.mode == .ready)
                await admin.close()
            }
        }
    }

    @Test func drainAndMaintStopTrafficToTheServer() async throws {
        try await Self.with { context in
            _ = try await context.run(.setAdmin(.drain), "be_web/web1")
            _ = try await context.run(.setAdmin(.maint), "be_web/web2")
            context.lab.resetCounts()
            let report = await TrafficGenerator.send(count: 90, to: "/be_web/", port: context.lab.frontendPort)
            #expect(report.statuses[200] == 90)
            let counts = context.lab.servedCounts(backend: "be_web")
            #expect(counts["web1"] == 0)
            #expect(counts["web2"] == 0)
            #expect((counts["web3"] ?? 0) + (counts["web4"] ?? 0) == 90)
        }
    }

    /// Tolerance: ±6 percentage points on 600 roundrobin requests (roundrobin is exact over a cycle; the
    /// margin covers requests in flight when the counters are read).
    @Test func weightsSplitTheTraffic() async throws {
        try await Self.with { context in
            _ = try await context.run(.setWeight(absolute: 50, percent: nil), "be_web/web2")
            _ = try await context.run(.setWeight(absolute: 50, percent: nil), "be_web/web3")
            _ = try await context.run(.setWeight(absolute: 0, percent: nil), "be_web/web4")
            context.lab.resetCounts()
            let report = await TrafficGenerator.send(
                count: 600, to: "/be_web/", port: context.lab.frontendPort, concurrency: 6)
            #expect(report.statuses[200] == 600)
            let counts = context.lab.servedCounts(backend: "be_web")
            func share(_ name: String) -> Double { Double(counts[name] ?? 0) / 600 }
            #expect(abs(share("web1") - 0.5) <= 0.06, "\(counts)")
            #expect(abs(share("web2") - 0.25) <= 0.06, "\(counts)")
            #expect(abs(share("web3") - 0.25) <= 0.06, "\(counts)")
            #expect(counts["web4"] == 0)
        }
    }

    @Test func rawWritesAreAuditedAndRefusalsSurfaced() async throws {
        try await Self.with { context in
            let balancer = try await context.driver.connect()
            let reply = try await context.executor.executeRaw(
                try .raw("set server be_api/api3 weight 7"), balancer: balancer)
            #expect(reply.command == "set server be_api/api3 weight 7")
            #expect(try await context.server("be_api/api3")?.weight == 7)
            await #expect {
                _ = try await context.executor.executeRaw(
                    try .raw("set server be_api/nope weight 7"), balancer: balancer)
            } throws: { ($0 as? SwitchboardError)?.code == .noSuchServer }
            let read = try await context.executor.executeRaw(try .raw("get weight be_api/api3"), balancer: balancer)
            #expect(read.reply == "7 (initial 10)")
            let records = try context.audit.records().records.filter { !$0.isAttempt }
            #expect(records.map(\.intent) == ["raw", "raw"])  // the read is not audited
            #expect(records[1].error == "no-such-server")
        }
    }

    @Test func auditFailureIsAnErrorNotSilence() async throws {
        try await Self.with { context in
            let blocked = context.lab.directory + "/not-a-directory"
            _ = FileManager.default.createFile(atPath: blocked, contents: Data("x".utf8))
            let executor = ActionExecutor(
                driver: context.driver, audit: AuditLog(path: blocked + "/audit.jsonl"), via: "test")
            let snapshot = try await context.driver.snapshot()
            let plan = try ActionPlanner.plan(
                ActionIntent(targets: [try ServerRef(parsing: "be_web/web4")], operation: .setAdmin(.drain)),
                on: snapshot)
            await #expect {
                _ = try await executor.execute(plan, balancer: snapshot.info)
            } throws: { ($0 as? SwitchboardError)?.message.contains("AUDIT LOG NOT WRITTEN") == true }
        }
    }
}
