import ConsoleApp
import Foundation
import SwitchboardCore
import Testing

/// The console on several balancers (issue 9): merged pools, drift, per-node refresh loops, focus.
@Suite("Fleet view")
struct FleetViewTests {
    @Test func poolsAreMergedByNameWithEveryNodesState() throws {
        let model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        #expect(model.isFleetView)
        let fleet = model.fleet
        #expect(fleet.labels == ["lb1", "lb2", "lb3"])
        let base = try ConsoleFixtures.snapshot()
        #expect(fleet.backends.map(\.name) == base.backends.map(\.name))
        let app2 = try #require(fleet.server(id: "be_app/app2"))
        #expect(app2.perNode.allSatisfy { $0?.admin.mode == .drain })
        #expect(app2.drift.isEmpty && app2.statesAgree)
        let s2 = try #require(fleet.server(id: "be_static/s2"))
        #expect(s2.perNode.map { $0?.admin.mode } == [.ready, .drain, .ready])
        #expect(s2.drift.contains(.admin) && s2.outliers == [1])
        #expect(try #require(fleet.server(id: "be_static/s1")).drift == [.weight])
        #expect(fleet.driftCount == 2)
        #expect(fleet.driftSummary == "2 servers differ — on lb2")
        // Sessions summed across nodes.
        let one = try #require(base.server("be_static", "s1"))
        #expect(try #require(fleet.server(id: "be_static/s1")).summary.sessions == 3 * one.sessions)
    }

    @Test func twoNodesSayBetweenWhichAndAMissingServerIsDrift() throws {
        let two = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        #expect(two.fleet.driftSummary == "2 servers differ between lb1 and lb2")
        let five = try FleetFixtures.model(width: 200, height: 60, balancers: 5)
        let t2 = try #require(five.fleet.server(id: "be_track/t2"))
        #expect(t2.perNode[4] == nil && t2.drift == [.missing] && t2.outliers == [4])
        #expect(five.fleet.driftCount == 3)
    }

    @Test func theDriftFilterKeepsOnlyServersThatDiffer() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("state:drift") + [.enter], &model)
        #expect(model.rows.map(\.id) == ["be_static", "be_static/s1", "be_static/s2"])
        ConsoleFixtures.press([.escape], &model)
        // A state term matches when it matches on some node: s2 is drained on lb2 only.
        ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("be:static state:drain") + [.enter], &model)
        #expect(model.rows.map(\.id) == ["be_static", "be_static/s2"])
    }

    @Test func aDeadNodeGoesStaleAloneAndIsRetriedOnItsOwnSchedule() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3, stale: [2])
        #expect(model.balancers[2].isStale(now: model.now, interval: model.interval))
        #expect(!model.balancers[0].isStale(now: model.now, interval: model.interval))
        #expect(!model.isStale)
        // lb3 failed 11 s ago: its backoff made it due at the last tick, so its retry is in flight now. One tick
        // later: a refresh for each node that is due (lb1, lb2), each once; none for lb3 while its own is in flight.
        #expect(model.balancers.map(\.refreshInFlight) == [false, false, true])
        let t = ConsoleFixtures.start.addingTimeInterval(1)
        let effects = ConsoleUpdate.update(&model, .tick(t))
        #expect(effects.compactMap { if case .refresh(_, let id) = $0 { id.rawValue } else { nil } } == ["lb1", "lb2"])
        #expect(ConsoleUpdate.update(&model, .tick(t.addingTimeInterval(0.5))).isEmpty)
        // lb1 answers; lb3 hangs (still in flight): lb1's next refresh is not held up by lb3.
        _ = ConsoleUpdate.update(&model, .refreshed(.success(try ConsoleFixtures.snapshot()), at: t, from: "lb1"))
        _ = ConsoleUpdate.update(&model, .refreshed(.success(try ConsoleFixtures.snapshot()), at: t, from: "lb2"))
        let next = ConsoleUpdate.update(&model, .tick(t.addingTimeInterval(1.1)))
        #expect(next.compactMap { if case .refresh(_, let id) = $0 { id.rawValue } else { nil } } == ["lb1", "lb2"])
        // Keys are answered whatever lb3 does.
        let before = model.cursor
        ConsoleFixtures.press([.down], &model)
        #expect(model.cursor == before + 1)
        // lb3 recovers.
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(try ConsoleFixtures.snapshot()), at: t.addingTimeInterval(1.2), from: "lb3"))
        #expect(!model.balancers[2].isStale(now: t.addingTimeInterval(1.2), interval: model.interval))
    }

    @Test func focusPicksOneBalancerAndFleetActionsPlanEveryNode() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        model.groups["pair"] = ["lb1", "lb2"]
        // In the fleet view an action is planned on every balancer in view, each on its own state.
        ConsoleFixtures.press([.down, .down, .char("d")], &model)
        guard case .fleet(let proposal, _) = model.dialog else {
            Issue.record("no fleet dialog: \(String(describing: model.dialog))")
            return
        }
        #expect(proposal.nodes.map(\.label) == ["lb1", "lb2", "lb3"])
        #expect(proposal.nodes.allSatisfy { $0.problem == nil && $0.plan != nil })
        #expect(proposal.totals.first?.hasPrefix("fleet be_app: ") == true)
        ConsoleFixtures.press([.escape], &model)
        #expect(model.dialog == nil)
        // What acts on one balancer only is refused with the way to focus one.
        ConsoleFixtures.press([.char("*")], &model)  // mark everywhere
        #expect(model.dialog == nil)
        #expect(
            model.message?.text.contains("acts on one balancer so far") == true, "\(String(describing: model.message))")
        ConsoleFixtures.press([.char("b")], &model)
        #expect(!model.isFleetView && model.primary.id == "lb1")
        #expect(model.rows.first.map { if case .backend = $0.kind { true } else { false } } == true)
        ConsoleFixtures.press([.char("b")], &model)
        #expect(model.primary.id == "lb2")
        #expect(model.snapshot?.server("be_static", "s1")?.weight == 50)
        // In one balancer's focus the actions work as on a one-balancer console.
        ConsoleFixtures.press([.char("g"), .down, .char("e")], &model)
        #expect(model.dialog != nil)
        ConsoleFixtures.press([.escape], &model)
        ConsoleFixtures.press([.char(":")] + ConsoleFixtures.keys("target pair") + [.enter], &model)
        #expect(model.focus == .group("pair", ["lb1", "lb2"]) && model.isFleetView)
        #expect(model.fleet.labels == ["lb1", "lb2"])
        ConsoleFixtures.press([.char(":")] + ConsoleFixtures.keys("target nope") + [.enter], &model)
        #expect(model.commandPalette.error?.contains("no balancer or group 'nope'") == true)
        #expect(model.commandPalette.input == "target nope")  // kept, to be corrected
        ConsoleFixtures.press([.escape, .char("!")] + ConsoleFixtures.keys("target nope") + [.enter], &model)
        #expect(model.prompt.transcript.last?.contains("no balancer or group 'nope'") == true)
        ConsoleFixtures.press(ConsoleFixtures.keys("show info") + [.enter], &model)
        #expect(model.prompt.transcript.last?.contains("raw commands go to one balancer") == true)
        ConsoleFixtures.press([.escape, .char(":")] + ConsoleFixtures.keys("target all") + [.enter], &model)
        #expect(model.focus == .all && model.fleet.labels.count == 3)
    }

    @Test func eventsNameTheirBalancer() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        var down = try ConsoleFixtures.snapshot()
        let b = try #require(down.backends.firstIndex { $0.name == "be_static" })
        down.backends[b].servers[0].status = ServerStatus("DOWN")
        down.backends[b].servers[0].health = .down
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(down), at: ConsoleFixtures.start.addingTimeInterval(1), from: "lb2"))
        let event = try #require(model.events.last { $0.server == "s1" })
        #expect(event.balancer == "lb2")
    }
}

/// Golden screens of the fleet view.
@Suite("Fleet golden screens")
struct FleetGoldenTests {
    @Test func fleetView() throws {
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            for count in [2, 5] {
                let model = try FleetFixtures.model(width: width, height: height, balancers: count, stale: [count - 1])
                assertScreen(model, named: "\(width)x\(height)-\(count)")
            }
        }
    }

    @Test func detailAcrossNodes() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        ConsoleFixtures.press(
            [.char("/")] + ConsoleFixtures.keys("state:drift") + [.enter, .down, .down, .enter], &model)
        assertScreen(model, named: "120x40")
    }
}

/// `DriverCapabilities` read per node: what a balancer's driver cannot do is greyed out and refused.
@Suite("Driver capabilities")
struct DriverCapabilityTests {
    @Test func whatTheDriverCannotDoIsGreyedAndRefused() throws {
        var model = ConsoleModel(
            width: 120, height: 40, now: ConsoleFixtures.start,
            balancers: [("lb1", BalancerProfile(label: "lb1", capabilities: [.maintenance, .rawCommands]))])
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(try ConsoleFixtures.snapshot()), at: ConsoleFixtures.start, from: "lb1"))
        let footer = ConsoleRender.render(model)
        let y = model.height - 1
        let line = (0..<model.width).compactMap { footer[$0, y]?.symbol }.map(String.init).joined()
        let drainKey = try #require(line.range(of: "d drain")).lowerBound.utf16Offset(in: line)
        let weightKey = try #require(line.range(of: "w weight")).lowerBound.utf16Offset(in: line)
        let helpKey = try #require(line.range(of: "? help")).lowerBound.utf16Offset(in: line)
        #expect(footer[drainKey, y]?.style.bold == false && footer[weightKey, y]?.style.bold == false)
        #expect(footer[helpKey, y]?.style.bold == true)
        ConsoleFixtures.press([.down, .down, .char("d")], &model)
        #expect(model.dialog == nil)
        #expect(model.message?.text == "lb1's driver cannot do drain: drain is disabled; nothing was sent")
        ConsoleFixtures.press([.char("m")], &model)
        #expect(model.dialog != nil)
    }
}

/// A target's colour is a production cue on its console.
@Suite("Target colour")
struct TargetColourTests {
    @Test func theHeaderAndTheTitleBarTakeTheTargetsColour() throws {
        var model = ConsoleModel(
            width: 120, height: 40, now: ConsoleFixtures.start,
            balancers: [("prod", BalancerProfile(label: "prod", colour: .red))])
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(try ConsoleFixtures.snapshot()), at: ConsoleFixtures.start, from: "prod"))
        let screen = ConsoleRender.render(model)
        #expect(screen[0, 0]?.style.foreground == .red)
        #expect(screen[0, 2]?.style.foreground == .red && screen[0, 2]?.style.reverse == true)
        model.useColor = false
        #expect(ConsoleRender.render(model)[0, 2]?.style.foreground != .red)
    }
}
