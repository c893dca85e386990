import Foundation
import SwitchboardCore
import Testing

/// Events from pairs of snapshots.
@Suite("Event detection")
struct EventDetectorTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func changed(_ snapshot: BalancerSnapshot, _ backend: String, _ change: (inout Backend) -> Void)
        -> BalancerSnapshot
    {
        var copy = snapshot
        if let index = copy.backends.firstIndex(where: { $0.name == backend }) { change(&copy.backends[index]) }
        return copy
    }

    @Test func downUpAndAdminChanges() throws {
        let before = try SnapshotBuilderTests.snapshot()
        var detector = EventDetector()
        let after = Self.changed(before, "be_static") { backend in
            backend.servers[0].health = .down
            backend.servers[0].status = ServerStatus("DOWN")
            backend.servers[1].admin = AdminState(mode: .drain)
        }
        let events = detector.detect(previous: before, current: after, at: Self.t0)
        #expect(events.map(\.kind) == [.serverDown, .adminChanged])
        #expect(events[0].severity == .critical)
        #expect(events[0].message.hasPrefix("be_static/s1 DOWN (L7OK"))
        #expect(events[1].message == "be_static/s2 admin ready → drain")
        let back = detector.detect(previous: after, current: before, at: Self.t0.addingTimeInterval(5))
        #expect(back.map(\.kind) == [.serverUp, .adminChanged])
        #expect(detector.detect(previous: before, current: before, at: Self.t0.addingTimeInterval(6)).isEmpty)
    }

    @Test func runningOnBackupsAndNoServerAvailable() throws {
        let before = try SnapshotBuilderTests.snapshot()
        var detector = EventDetector()
        let onBackups = Self.changed(before, "be_app") {
            $0.activeUp = 0; $0.backupUp = 1
        }
        #expect(detector.detect(previous: before, current: onBackups, at: Self.t0).map(\.kind) == [.runningOnBackups])
        let none = Self.changed(before, "be_app") {
            $0.activeUp = 0; $0.backupUp = 0
        }
        #expect(detector.detect(previous: onBackups, current: none, at: Self.t0).map(\.kind) == [.noServerAvailable])
        let kinds = detector.detect(previous: none, current: before, at: Self.t0).map(\.kind)
        #expect(kinds == [.serverAvailableAgain])
    }

    @Test func flappingQueueAndErrorsAreReportedOnce() throws {
        let up = try SnapshotBuilderTests.snapshot()
        let down = Self.changed(up, "be_static") { $0.servers[0].health = .down }
        var detector = EventDetector()
        var all: [BalancerEvent] = []
        var previous = up
        for step in 0..<6 {
            let next = step % 2 == 0 ? down : up
            all += detector.detect(previous: previous, current: next, at: Self.t0.addingTimeInterval(Double(step) * 5))
            previous = next
        }
        #expect(all.filter { $0.kind == .flapping }.count == 1)

        var queues = EventDetector()
        let q1 = Self.changed(up, "be_app") { $0.queue = 3 }
        let q2 = Self.changed(up, "be_app") { $0.queue = 9 }
        let q3 = Self.changed(up, "be_app") { $0.queue = 15 }
        #expect(queues.detect(previous: up, current: q1, at: Self.t0).isEmpty)  // one rise is noise
        #expect(queues.detect(previous: q1, current: q2, at: Self.t0).map(\.kind) == [.queueGrowing])
        #expect(queues.detect(previous: q2, current: q3, at: Self.t0).isEmpty)  // already raised

        var errors = EventDetector(errorRateThreshold: 5)
        #expect(
            errors.detect(previous: up, current: up, at: Self.t0, errorRates: ["be_app": 12]).map(\.kind) == [
                .errorRate
            ])
        #expect(errors.detect(previous: up, current: up, at: Self.t0, errorRates: ["be_app": 12]).isEmpty)
        #expect(errors.detect(previous: up, current: up, at: Self.t0, errorRates: ["be_app": 1]).isEmpty)
        // raised again
        #expect(errors.detect(previous: up, current: up, at: Self.t0, errorRates: ["be_app": 12]).count == 1)
    }

    @Test func maintIsNotADownEvent() throws {
        let before = try SnapshotBuilderTests.snapshot()
        var detector = EventDetector()
        let maint = Self.changed(before, "be_static") { backend in
            backend.servers[0].admin = AdminState(mode: .maint)
            backend.servers[0].health = .down
        }
        #expect(detector.detect(previous: before, current: maint, at: Self.t0).map(\.kind) == [.adminChanged])
    }
}

/// Defect 7: changes by others beyond the admin state, and reloads.
@Suite("Events for every change by anyone")
struct ChangeEventTests {
    @Test func weightChecksAgentAndForcedHealthChanges() throws {
        let before = try SnapshotBuilderTests.snapshot()
        var detector = EventDetector()
        let after = EventDetectorTests.changed(before, "be_static") { backend in
            backend.servers[0].weight = 3
            backend.servers[1].checksEnabled = false
        }
        let events = detector.detect(previous: before, current: after, at: EventDetectorTests.t0)
        #expect(events.map(\.kind) == [.weightChanged, .checksChanged])
        #expect(events[0].message == "be_static/s1 weight 10 → 3")
        #expect(events[0].severity == .warning)
        #expect(events[1].message == "be_static/s2 health checks disabled")
        let forced = EventDetectorTests.changed(after, "be_static") { backend in
            backend.servers[1].health = .down
        }
        let more = detector.detect(previous: after, current: forced, at: EventDetectorTests.t0.addingTimeInterval(1))
        #expect(more.map(\.kind).contains(.healthForced))
        #expect(more.first { $0.kind == .healthForced }?.message == "be_static/s2 health forced down (checks are off)")
    }

    @Test func aReloadIsAnEventAndINIStatesAreNotReportedAsUp() throws {
        let before = EventDetectorTests.changed(try SnapshotBuilderTests.snapshot(), "be_static") { backend in
            backend.servers[0].health = .down
            backend.servers[0].status = ServerStatus("DOWN")
        }
        var reloaded = EventDetectorTests.changed(try SnapshotBuilderTests.snapshot(), "be_static") { backend in
            backend.servers[0].check = CheckResult(statusText: "* INI")
        }
        reloaded.info.pid = before.info.pid + 100
        var detector = EventDetector()
        let events = detector.detect(previous: before, current: reloaded, at: EventDetectorTests.t0)
        #expect(events.first?.kind == .reloaded)
        #expect(
            events.first?.message.hasPrefix("balancer reloaded (pid \(before.info.pid) → \(reloaded.info.pid))") == true
        )
        #expect(!events.contains { $0.kind == .serverUp })
    }
}
