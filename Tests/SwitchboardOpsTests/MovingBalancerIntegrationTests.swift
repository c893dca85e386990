import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Issue 8 on a real haproxy, with a second client acting at the same time.
@Suite("Another operator acts at the same time", .timeLimit(.minutes(2)))
struct MovingBalancerIntegrationTests {
    /// Defect 1 for real: the plan was made at 4/4 → 3/4; a colleague drains the other three; the
    /// executor sends nothing and hands back a plan that now empties the backend.
    @Test func aPlanMadeBeforeAColleaguesDrainIsNotSent() async throws {
        try await ActionIntegrationTests.with { context in
            let snapshot = try await context.driver.snapshot()
            let plan = try ActionPlanner.plan(
                ActionIntent(targets: [try ServerRef(parsing: "be_web/web1")], operation: .setAdmin(.drain)),
                on: snapshot)
            #expect(!plan.leavesBackendWithoutActiveServers)
            let colleague = HAProxyDriver(
                address: .unix(path: context.lab.adminSocket), options: .init(session: .oneShot))
            for server in ["web2", "web3", "web4"] {
                _ = try await colleague.execute(try .raw("set server be_web/\(server) state drain"))
            }
            do {
                _ = try await context.executor.execute(plan, balancer: snapshot.info)
                Issue.record("a stale plan was sent")
            } catch let changed as PlanChanged {
                #expect(changed.recheck.plan.leavesBackendWithoutActiveServers)
                #expect(changed.recheck.changes.count == 3)
                #expect(changed.recheck.plan.warnings.first?.contains("no active server serving") == true)
            }
            #expect(try await context.server("be_web/web1")?.admin.mode == .ready)
            #expect(try context.audit.records().records.isEmpty)  // nothing attempted
        }
    }

    /// Defect 5 for real: undo leaves alone the server a colleague set MAINT with weight 10 and restores
    /// the other one.
    @Test func undoRestoresOnlyWhatIsStillAsTheActionLeftIt() async throws {
        try await ActionIntegrationTests.with { context in
            let drain = try await context.run(.setAdmin(.drain), "be_web/web1", "be_web/web2")
            #expect(drain.succeeded, "\(drain.summary)")
            let colleague = HAProxyDriver(
                address: .unix(path: context.lab.adminSocket), options: .init(session: .oneShot))
            _ = try await colleague.execute(try .raw("set server be_web/web1 state maint"))
            _ = try await colleague.execute(try .raw("set server be_web/web1 weight 10"))
            let now = try await context.driver.snapshot()
            let undo = try ActionPlanner.undo(drain.plan.before, leftAs: drain.after, on: now)
            #expect(undo.leftAlone == [ServerID(backend: "be_web", name: "web1")])
            #expect(undo.warnings.contains { $0.hasPrefix("be_web/web1 changed since by someone else") })
            #expect(undo.steps == [.setAdmin(try ServerRef(parsing: "be_web/web2"), .ready)])
            // The preview counts the real before/after: web2 comes back, capacity rises.
            #expect(undo.impacts.first?.after.activeServing == (undo.impacts.first?.before.activeServing ?? 0) + 1)
            let outcome = try await context.executor.execute(undo, balancer: now.info)
            #expect(outcome.succeeded, "\(outcome.summary)")
            let after = try await context.driver.snapshot()
            #expect(after.server("be_web", "web1")?.admin.mode == .maint)
            #expect(after.server("be_web", "web1")?.weight == 10)
            #expect(after.server("be_web", "web2")?.admin.mode == .ready)
            // Explicitly included, it is restored.
            let forced = try ActionPlanner.undo(
                drain.plan.before, leftAs: drain.after, including: [ServerID(backend: "be_web", name: "web1")],
                on: after)
            #expect(forced.intent.targets.map(\.description) == ["be_web/web1"])  // web2 is back already
            #expect(forced.steps.contains(.setAdmin(try ServerRef(parsing: "be_web/web1"), .ready)))
        }
    }

    /// Defect 7 for real: a weight set by another client shows as an event.
    @Test func aWeightChangedByAnotherClientIsAnEvent() async throws {
        try await ActionIntegrationTests.with { context in
            var detector = EventDetector()
            let before = try await context.driver.snapshot()
            let colleague = HAProxyDriver(address: .tcp(host: "127.0.0.1", port: context.lab.adminTCPPort))
            _ = try await colleague.execute(try .raw("set server be_api/api2 weight 7"))
            await colleague.close()
            let after = try await context.driver.snapshot()
            let events = detector.detect(previous: before, current: after, at: Date())
            #expect(events.map(\.message).contains("be_api/api2 weight 50 → 7"))
        }
    }
}
