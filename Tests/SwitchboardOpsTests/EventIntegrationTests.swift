import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Events from a real haproxy, refreshed every 500 ms as the console does.
@Suite("Events on a real haproxy", .timeLimit(.minutes(1)))
struct EventIntegrationTests {
    /// Refreshes every 500 ms (as the console does) until an event of `kind` appears; returns the time it took.
    static func waitForEvent(
        _ kind: BalancerEvent.Kind, server: String, driver: HAProxyDriver, detector: inout EventDetector,
        from previous: BalancerSnapshot, timeout: Duration
    ) async throws -> (Duration, BalancerEvent) {
        let clock = ContinuousClock()
        let start = clock.now
        var last = previous
        var found: BalancerEvent?
        var events = detector
        try await Deadline.waitUntil(
            "a \(kind.rawValue) event for \(server)", timeout: timeout, interval: .milliseconds(500)
        ) {
            let next = try await driver.snapshot()
            found = events.detect(previous: last, current: next, at: Date()).first {
                $0.kind == kind && $0.server == server
            }
            last = next
            return found != nil
        }
        detector = events
        return (clock.now - start, found!)
    }

    @Test func stoppingAnOriginProducesADownEvent() async throws {
        try await ActionIntegrationTests.with { context in
            var detector = EventDetector()
            let before = try await context.driver.snapshot()
            await context.lab.origin("be_api", "api2")?.stop()
            let (elapsed, event) = try await Self.waitForEvent(
                .serverDown, server: "api2", driver: context.driver, detector: &detector, from: before,
                timeout: .seconds(6))
            // fall 2 × inter 1 s, plus one 500 ms refresh.
            #expect(elapsed < .milliseconds(2600), "DOWN event after \(elapsed)")
            #expect(event.server == "api2" && event.severity == .critical)
            #expect(event.message.contains("L4CON"))
        }
    }

    @Test func failoverProducesARunningOnBackupsEvent() async throws {
        try await ActionIntegrationTests.with { context in
            var detector = EventDetector()
            let before = try await context.driver.snapshot()
            let plan = try FailoverPlanner.failover(backend: "be_web", mode: .maint, on: before)
            let outcome = try await context.executor.execute(plan, balancer: before.info)
            #expect(outcome.succeeded)
            let after = try await context.driver.snapshot()
            let events = detector.detect(previous: before, current: after, at: Date())
            #expect(
                events.contains { $0.kind == .runningOnBackups && $0.backend == "be_web" && $0.severity == .critical })
            #expect(events.filter { $0.kind == .adminChanged }.count == 4)
            let timeline = TimelineLog(besides: context.audit)
            try timeline.append(events)
            let lines = try String(contentsOfFile: timeline.path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == events.count)
            #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
        }
    }
}
