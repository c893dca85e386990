import Foundation
import SwitchboardCore
import Testing

/// The event stream's rules on recorded snapshots: a baseline first, 5xx per second from counters, a balancer that
/// goes away reported once and its return, every event labelled with its balancer.
@Suite("Event follower")
struct EventFollowerTests {
    static let t0 = EventDetectorTests.t0

    @Test func theFirstReadIsABaselineAndLaterOnesReportWhatChangedLabelled() throws {
        let before = try SnapshotBuilderTests.snapshot()
        var follower = EventFollower(balancer: "lb2")
        #expect(follower.read(before, at: Self.t0).isEmpty)
        let after = EventDetectorTests.changed(before, "be_static") {
            $0.servers[0].health = .down
            $0.servers[0].status = ServerStatus("DOWN")
        }
        let events = follower.read(after, at: Self.t0.addingTimeInterval(1))
        #expect(events.map(\.kind) == [.serverDown])
        #expect(events.first?.balancer == "lb2")
        #expect(follower.read(after, at: Self.t0.addingTimeInterval(2)).isEmpty)
    }

    @Test func fiveHundredsPerSecondComeFromTheBackendCounterOverTheTimeBetweenReads() throws {
        let before = try SnapshotBuilderTests.snapshot()
        var follower = EventFollower(errorRateThreshold: 5)
        _ = follower.read(before, at: Self.t0)
        // 12 more 5xx in 2 s: 6/s, above 5/s.
        let burst = EventDetectorTests.changed(before, "be_app") { $0.http5xx += 12 }
        let events = follower.read(burst, at: Self.t0.addingTimeInterval(2))
        #expect(events.map(\.kind) == [.errorRate])
        #expect(events.first?.message.contains("6.0/s") == true, "\(events)")
        // 8 more in 2 s: 4/s, under the limit — no new event (and the alarm stays raised until under half).
        let slower = EventDetectorTests.changed(burst, "be_app") { $0.http5xx += 8 }
        #expect(follower.read(slower, at: Self.t0.addingTimeInterval(4)).isEmpty)
    }

    @Test func aBalancerThatStopsAnsweringIsReportedOnceAndItsReturnToo() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        var follower = EventFollower()
        _ = follower.read(snapshot, at: Self.t0)
        let gone = SwitchboardError(.connectionRefused, "connection refused")
        let first = follower.failed(gone, at: Self.t0.addingTimeInterval(1))
        #expect(first.map(\.kind) == [.balancerUnreachable])
        #expect(first.first?.severity == .critical)
        #expect(first.first?.message == "balancer not answering: connection refused")
        #expect(follower.failed(gone, at: Self.t0.addingTimeInterval(2)).isEmpty)
        let back = follower.read(snapshot, at: Self.t0.addingTimeInterval(11))
        #expect(back.map(\.kind) == [.balancerReachable])
        #expect(back.first?.message == "balancer answering again after 10 s")
    }
}
