import SwitchboardCore
import SwitchboardTestSupport
import Testing

@Suite("Snapshot from recorded HAProxy 2.6 output")
struct SnapshotBuilderTests {
    static func snapshot(stat: String = "show-stat.csv", states: Bool = true) throws -> BalancerSnapshot {
        let info = try ShowInfo(parsing: try Fixtures.text("show-info.txt"))
        return SnapshotBuilder.build(
            info: info.balancerInfo(socket: "/tmp/admin.sock", level: .admin),
            stat: try StatTable(parsing: try Fixtures.text(stat)),
            states: states ? try ServersState(parsing: try Fixtures.text("show-servers-state.txt")) : nil)
    }

    @Test func groupsRowsIntoFrontendsBackendsAndServers() throws {
        let snapshot = try Self.snapshot()
        #expect(snapshot.frontends.map(\.name) == ["fe_main"])
        #expect(snapshot.backends.map(\.name) == ["be_app", "be_track", "be_static"])
        #expect(
            snapshot.backend(named: "be_app")?.servers.map(\.name) == [
                "app1", "app2", "app3", "app4", "app5", "app6", "app-bk",
            ])
        #expect(snapshot.backend(named: "be_app")?.algorithm == "roundrobin")
        #expect(snapshot.backend(named: "be_static")?.algorithm == "static-rr")
        #expect(snapshot.info.version.hasPrefix("2.6"))
        #expect(snapshot.info.pid > 0)
    }

    @Test func downWithL4CON() throws {
        let server = try #require(try Self.snapshot().server("be_app", "app3"))
        #expect(server.status.kind == .down)
        #expect(server.health == .down)
        #expect(server.check?.status == "L4CON")
        #expect(server.check?.passed == false)
        #expect(server.admin.mode == .ready)
    }

    @Test func drainFromCLIEvenWhenAgentTextSaysAgent() throws {
        let snapshot = try Self.snapshot()
        let app6 = try #require(snapshot.server("be_app", "app6"))
        #expect(app6.status.text == "DRAIN (agent)")
        #expect(app6.status.byAgent)
        #expect(app6.admin.mode == .drain)
        #expect(app6.admin.mask == 8)
        #expect(app6.agentEnabled)
        #expect(app6.agent != nil)
        let app2 = try #require(snapshot.server("be_app", "app2"))
        #expect(app2.admin.mode == .drain)
        #expect(app2.health == .up)
    }

    @Test func agentForcedDown() throws {
        let app1 = try #require(try Self.snapshot().server("be_app", "app1"))
        #expect(app1.status.text == "DOWN (agent)")
        #expect(app1.status.kind == .down)
        #expect(app1.health == .down)
        #expect(app1.agent?.inProgress == true)
    }

    @Test func configDisabledAndTrackedMaint() throws {
        let snapshot = try Self.snapshot()
        let app4 = try #require(snapshot.server("be_app", "app4"))
        #expect(app4.admin == AdminState(mode: .maint, inherited: false, fromConfig: true, mask: 5))
        let t1 = try #require(snapshot.server("be_track", "t1"))
        #expect(t1.status.via == "be_app/app4")
        #expect(t1.admin.mode == .maint)
        #expect(t1.admin.inherited)
        #expect(t1.tracks == "be_app/app4")
    }

    @Test func noCheckAndUserWeightFromServersState() throws {
        let app5 = try #require(try Self.snapshot().server("be_app", "app5"))
        #expect(app5.status.kind == .noCheck)
        #expect(app5.check == nil)
        #expect(!app5.checksEnabled)
        #expect(app5.weight == 20)
        #expect(app5.initialWeight == 100)
    }

    @Test func backupFlagAndBackendCounts() throws {
        let backend = try #require(try Self.snapshot().backend(named: "be_app"))
        #expect(backend.backupServers.map(\.name) == ["app-bk"])
        #expect(backend.activeServers.count == 6)
        #expect(backend.activeUp == 1)
        #expect(backend.backupUp == 1)
        #expect(!backend.runsOnBackups)
    }

    @Test func sessionLimitAndCounters() throws {
        let snapshot = try Self.snapshot()
        #expect(snapshot.server("be_static", "s2")?.sessionLimit == 50)
        #expect(snapshot.server("be_static", "s1")?.sessionLimit == nil)
        let served = (snapshot.backend(named: "be_static")?.servers ?? []).map(\.selectedTotal).reduce(0, +)
        #expect(served >= 35)
        #expect((snapshot.backend(named: "be_static")?.http5xx ?? 0) >= 5)
    }

    @Test func runningCheckHasItsStarStripped() throws {
        let snapshot = try Self.snapshot(stat: "show-stat-running-check.csv", states: false)
        let running = snapshot.allServers.filter { $0.check?.inProgress == true }
        #expect(!running.isEmpty)
        #expect(running.contains { $0.check?.status == "L7OK" })
    }

    @Test func transitionProgress() throws {
        let snapshot = try Self.snapshot(stat: "show-stat-transition.csv", states: false)
        let t2 = try #require(snapshot.server("be_track", "t2"))
        #expect(t2.status.kind == .up)
        #expect(t2.status.progress == ServerStatus.Progress(current: 2, needed: 3))
        #expect(t2.check?.status == "L7STS")
    }

    @Test func withoutServersStateTheTextIsUsed() throws {
        let snapshot = try Self.snapshot(states: false)
        #expect(snapshot.server("be_app", "app4")?.admin.mode == .maint)
        #expect(snapshot.server("be_track", "t1")?.admin.inherited == true)
        #expect(snapshot.server("be_app", "app2")?.admin.mode == .drain)
        #expect(snapshot.server("be_app", "app5")?.weight == 20)
    }

    @Test func userSocketHasNoAddresses() throws {
        let info = try ShowInfo(parsing: try Fixtures.text("show-info.txt"))
        let snapshot = SnapshotBuilder.build(
            info: info.balancerInfo(socket: "u", level: .user),
            stat: try StatTable(parsing: try Fixtures.text("show-stat-user.csv")))
        #expect(snapshot.allServers.allSatisfy { $0.address.isEmpty })
        #expect(try Self.snapshot().allServers.allSatisfy { $0.address.hasPrefix("127.0.0.1:") })
    }

    @Test func backendsOnlyPoll() throws {
        let table = try StatTable(parsing: try Fixtures.text("show-stat-backends.csv"))
        let snapshot = SnapshotBuilder.build(info: BalancerInfo(version: "2.6", pid: 1, uptimeSeconds: 0), stat: table)
        #expect(snapshot.backends.map(\.name) == ["be_app", "be_track", "be_static"])
        #expect(snapshot.allServers.isEmpty)
    }
}
