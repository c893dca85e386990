import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// Fleet-wide actions in the console (issue 10): one intent planned per balancer, a node that cannot take
/// part blocks until it is left out, all or nothing or "keep partial", and the per-node result table.
@Suite("Fleet actions in the console")
struct FleetActionDialogTests {
    static func performed(_ effects: [ConsoleEffect]) -> (steps: [FleetStep], rollback: Bool)? {
        for case .performFleet(let steps, _, let rollback) in effects { return (steps, rollback) }
        return nil
    }

    @Test func aStaleNodeBlocksUntilLeftOutThenTheOthersAreSentAllOrNothing() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3, stale: [2])
        ConsoleFixtures.press([.down, .down, .char("d")], &model)
        guard case .fleet(let proposal, _) = model.dialog else {
            Issue.record("no fleet dialog")
            return
        }
        #expect(proposal.blocking.map(\.label) == ["lb3"])
        #expect(Self.performed(ConsoleFixtures.press([.char("y")], &model)) == nil)  // refused: lb3 is not left out
        #expect(model.message?.text.contains("cannot take part: x leaves them out") == true)
        let effects = ConsoleFixtures.press([.char("x"), .char("y")], &model)
        let sent = try #require(Self.performed(effects))
        #expect(sent.steps.map(\.label) == ["lb1", "lb2"] && sent.rollback)
        #expect(model.actionInFlight == "drain")
    }

    @Test func keepPartialIsAnExplicitChoice() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        let effects = ConsoleFixtures.press([.down, .down, .char("d"), .char("k")], &model)
        let sent = try #require(Self.performed(effects))
        #expect(sent.steps.count == 2 && !sent.rollback)
    }

    @Test func theResultTableNamesEveryNodeAndAnyKeyClosesIt() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        ConsoleFixtures.press([.down, .down, .char("d"), .char("y")], &model)
        _ = ConsoleUpdate.update(&model, .fleetPerformed(Self.rolledBackReport, label: "drain"))
        guard case .fleetResult(let table) = model.dialog else {
            Issue.record("no result table")
            return
        }
        #expect(!table.succeeded && table.rows.map(\.status) == ["rolled-back", "refused", "rolled-back"])
        #expect(model.message?.text.contains("every balancer that had applied was rolled back") == true)
        #expect(model.actionInFlight == nil)
        #expect(model.events.suffix(3).map(\.balancer) == ["lb1", "lb2", "lb3"])
        ConsoleFixtures.press([.char("q")], &model)  // any key closes the table, and does nothing else
        #expect(model.dialog == nil && !model.quitRequested)
    }

    @Test func redistributeIsPlannedOnEachBalancersOwnWeights() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        // On lb2 someone left be_app's first server at weight 30; lb1 is even.
        var drifted = try #require(model.balancers[1].snapshot)
        let app = try #require(drifted.backends.firstIndex { $0.name == "be_app" })
        drifted.backends[app].servers[0].weight = 30
        let first = drifted.backends[app].servers[0].name
        _ = ConsoleUpdate.update(&model, .refreshed(.success(drifted), at: model.now, from: "lb2"))
        model.cursor = try #require(model.rows.firstIndex { $0.id.backend == "be_app" })
        ConsoleFixtures.press([.char("D")], &model)
        #expect(model.dialog == .redistribute(backend: "be_app", plan: nil, error: nil))
        ConsoleFixtures.press([.char("e")], &model)
        guard case .fleet(let proposal, _) = model.dialog else {
            Issue.record("no fleet dialog: \(String(describing: model.dialog)) \(String(describing: model.message))")
            return
        }
        #expect(proposal.label == "redistribute be_app")
        // Each balancer is planned on its own snapshot (lb2 with the server left at 30).
        #expect(proposal.taking.map(\.label) == ["lb1", "lb2"])
        for (node, balancer) in zip(proposal.taking, model.balancers) {
            let own = try RedistributionPlanner.plan(
                .even([]), backend: "be_app", on: try #require(balancer.snapshot)
            ).actions
            #expect(node.plan == own)
        }
        #expect(proposal.taking[1].plan?.before.first { $0.server.name == first }?.weight == 30)
        let sent = try #require(Self.performed(ConsoleFixtures.press([.char("y")], &model)))
        #expect(sent.steps.map(\.label) == ["lb1", "lb2"])
    }

    @Test func driftIsRepairedFromTheFleetViewToTheMajorityOrToAChosenBalancer() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        var drifted = try #require(model.balancers[1].snapshot)
        let app = try #require(drifted.backends.firstIndex { $0.name == "be_app" })
        let name = drifted.backends[app].servers[0].name
        let weight = drifted.backends[app].servers[0].weight
        drifted.backends[app].servers[0].weight = 30  // changed by hand on lb2
        _ = ConsoleUpdate.update(&model, .refreshed(.success(drifted), at: model.now, from: "lb2"))
        model.cursor = try #require(model.rows.firstIndex { $0.id.server == ServerID(backend: "be_app", name: name) })
        ConsoleFixtures.press([.char("=")], &model)
        guard case .fleet(let majority, _) = model.dialog else {
            Issue.record("no fleet dialog: \(String(describing: model.dialog)) \(String(describing: model.message))")
            return
        }
        #expect(majority.label == "make consistent (majority)")
        #expect(majority.taking.map(\.label) == ["lb2"])
        #expect(
            majority.taking[0].plan?.steps.map { RuntimeCommand(for: $0).line } == [
                "set server be_app/\(name) weight \(weight)"
            ])
        #expect(ConsoleRender.render(model).golden.contains("1–3 take that balancer's state instead"))

        ConsoleFixtures.press([.char("2")], &model)  // lb2's state instead
        guard case .fleet(let likeSecond, _) = model.dialog else {
            Issue.record("no fleet dialog after 2")
            return
        }
        #expect(likeSecond.label == "make consistent (like lb2)")
        #expect(likeSecond.taking.map(\.label) == ["lb1", "lb3"])
        #expect(
            likeSecond.taking.allSatisfy {
                $0.plan?.expectations.contains(.weight(ServerID(backend: "be_app", name: name), 30)) == true
            })
        let sent = try #require(Self.performed(ConsoleFixtures.press([.char("y")], &model)))
        #expect(sent.steps.map(\.label) == ["lb1", "lb3"] && sent.rollback)

        // On a server that does not drift: said so, nothing opened.
        model.cursor = try #require(
            model.rows.firstIndex { $0.id.backend == "be_app" && $0.id.server != nil && $0.id.server?.name != name })
        model.actionInFlight = nil
        ConsoleFixtures.press([.char("=")], &model)
        #expect(model.dialog == nil)
        #expect(model.message?.text.contains("no drift") == true, "\(String(describing: model.message))")
    }

    @Test func aFleetReadyRampsEveryBalancerFromItsOwnState() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        func set(_ admin: AdminMode, weight: Int?, after seconds: TimeInterval) throws -> Int {
            var full = 0
            for id in ["lb1", "lb2"] as [BalancerID] {
                let index = try #require(model.index(of: id))
                var snapshot = try #require(model.balancers[index].snapshot)
                let app = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
                snapshot.backends[app].servers[0].admin = AdminState(mode: admin)
                if let weight { snapshot.backends[app].servers[0].weight = weight }
                full = snapshot.backends[app].servers[0].weight
                _ = ConsoleUpdate.update(
                    &model, .refreshed(.success(snapshot), at: model.now.addingTimeInterval(seconds), from: id))
            }
            return full
        }
        let full = try set(.drain, weight: nil, after: 0.5)
        let name = try #require(model.balancers[0].snapshot?.backends.first { $0.name == "be_app" }?.servers[0].name)
        model.cursor = try #require(model.rows.firstIndex { $0.id.server == ServerID(backend: "be_app", name: name) })
        ConsoleFixtures.press([.char("e")], &model)
        #expect(ConsoleRender.render(model).golden.contains("r apply with the weight ramped back"))
        let first = try #require(Self.performed(ConsoleFixtures.press([.char("r")], &model)))
        for step in first.steps {
            #expect(
                step.plan.steps.map { RuntimeCommand(for: $0).line } == [
                    "set server be_app/\(name) weight \(full / 4)", "set server be_app/\(name) state ready",
                ])
        }
        let verified = FleetExecutor.Report(
            intentID: "5f0c2a4e-0000-4000-8000-000000000002",
            nodes: [
                FleetNodeResult(name: "lb1", status: .verified, detail: "verified"),
                FleetNodeResult(name: "lb2", status: .verified, detail: "verified"),
            ], failed: false, rolledBack: false)
        _ = ConsoleUpdate.update(&model, .fleetPerformed(verified, label: "ready, ramped from 25%"))
        _ = try set(.ready, weight: full / 4, after: 1)
        let second = try #require(
            Self.performed(ConsoleUpdate.update(&model, .tick(model.now.addingTimeInterval(10)))))
        #expect(second.steps.map(\.label) == ["lb1", "lb2"])
        #expect(
            second.steps.allSatisfy {
                $0.plan.steps.map { RuntimeCommand(for: $0).line } == ["set server be_app/\(name) weight \(full / 2)"]
            })
        #expect(model.ramp?.sent == 50)
    }

    static let verifiedOnTwo = FleetExecutor.Report(
        intentID: "5f0c2a4e-0000-4000-8000-000000000003",
        nodes: [
            FleetNodeResult(name: "lb1", status: .verified, detail: "verified"),
            FleetNodeResult(name: "lb2", status: .verified, detail: "verified"),
        ], failed: false, rolledBack: false)

    /// Both balancers read with the selected be_app server in DRAIN and `sessions` open on each.
    static func drainedWith(_ sessions: [BalancerID: Int], _ model: inout ConsoleModel, after seconds: TimeInterval)
        throws
    {
        for (id, count) in sessions {
            let index = try #require(model.index(of: id))
            var snapshot = try #require(model.balancers[index].snapshot)
            let app = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
            snapshot.backends[app].servers[0].admin = AdminState(mode: .drain)
            snapshot.backends[app].servers[0].sessions = count
            _ = ConsoleUpdate.update(
                &model, .refreshed(.success(snapshot), at: model.now.addingTimeInterval(seconds), from: id))
        }
    }

    @Test func aFleetDrainIsWatchedOnEveryBalancerAndMaintWaitsForAllOfThem() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        let name = try #require(model.balancers[0].snapshot?.backends.first { $0.name == "be_app" }?.servers[0].name)
        model.cursor = try #require(model.rows.firstIndex { $0.id.server == ServerID(backend: "be_app", name: name) })
        ConsoleFixtures.press([.char("d")], &model)
        #expect(ConsoleRender.render(model).golden.contains("W drain and watch every balancer"))
        ConsoleFixtures.press([.char("T")], &model)
        guard case .fleetDrainTimeout = model.dialog else { Issue.record("no timeout dialog"); return }
        let drain = try #require(Self.performed(ConsoleFixtures.press([.enter], &model)))
        #expect(drain.steps.map(\.label) == ["lb1", "lb2"])
        _ = ConsoleUpdate.update(&model, .fleetPerformed(Self.verifiedOnTwo, label: "drain"))
        #expect(model.fleetDrainWatch?.started == true)
        // lb1 is empty, lb2 still has 2 sessions: nothing sent.
        try Self.drainedWith(["lb1": 0], &model, after: 1)
        try Self.drainedWith(["lb2": 2], &model, after: 1.1)
        #expect(model.actionInFlight == nil && model.fleetDrainWatch != nil)
        // Both empty: MAINT on both, as one fleet action.
        var effects: [ConsoleEffect] = []
        for id in ["lb1", "lb2"] as [BalancerID] {
            let index = try #require(model.index(of: id))
            var snapshot = try #require(model.balancers[index].snapshot)
            let app = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
            snapshot.backends[app].servers[0].sessions = 0
            effects += ConsoleUpdate.update(
                &model, .refreshed(.success(snapshot), at: model.now.addingTimeInterval(1), from: id))
        }
        let maint = try #require(Self.performed(effects))
        #expect(maint.steps.map(\.label) == ["lb1", "lb2"])
        #expect(
            maint.steps.allSatisfy {
                $0.plan.steps.map { RuntimeCommand(for: $0).line } == ["set server be_app/\(name) state maint"]
            })
        #expect(model.fleetDrainWatch == nil)
    }

    @Test func aFleetDrainThatDidNotVerifyEverywhereIsNotWatched() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        ConsoleFixtures.press([.down, .down, .char("d"), .char("W")], &model)
        #expect(model.fleetDrainWatch != nil)
        _ = ConsoleUpdate.update(&model, .fleetPerformed(Self.rolledBackReport, label: "drain"))
        #expect(model.fleetDrainWatch == nil)
    }

    static let rolledBackReport = FleetExecutor.Report(
        intentID: "5f0c2a4e-0000-4000-8000-000000000001",
        nodes: [
            FleetNodeResult(name: "lb1", status: .rolledBack, detail: "rolled back, verified"),
            FleetNodeResult(
                name: "lb2", status: .refused,
                detail: "HAProxy refused `set server be_app/app1 state drain`: permission denied"),
            FleetNodeResult(name: "lb3", status: .rolledBack, detail: "rolled back, verified"),
        ], failed: true, rolledBack: true)
}

/// Golden screens of the fleet dialog and its result table.
@Suite("Fleet action golden screens")
struct FleetActionGoldenTests {
    @Test func perNodePreviewWithANodeThatCannotTakePart() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3, stale: [2])
        ConsoleFixtures.press([.down, .down, .char("d")], &model)
        assertScreen(model, named: "120x40")
    }

    @Test func resultTable() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        ConsoleFixtures.press([.down, .down, .char("d"), .char("y")], &model)
        _ = ConsoleUpdate.update(&model, .fleetPerformed(FleetActionDialogTests.rolledBackReport, label: "drain"))
        assertScreen(model, named: "120x40")
    }
}

/// Failover and fail back in the fleet view: each balancer records and gets back its own states.
@Suite("Fleet failover in the console")
struct FleetFailoverDialogTests {
    @Test func failBackPlansEachBalancerFromItsOwnRecord() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 3)
        let effects = ConsoleFixtures.press([.char("B")], &model)  // the first row: be_app
        #expect(effects == [.loadFleetFailovers("be_app", on: ["lb1", "lb2", "lb3"])])
        // lb1 and lb2 failed over (app5 out); lb3 has no record.
        let snapshot = try #require(model.balancers[0].snapshot)
        var before = ActionPlan.ServerState(try #require(snapshot.server("be_app", "app5")))
        before.admin = .ready
        var after = before
        after.admin = .maint
        let record = FailoverStore.Record(
            time: "2026-12-02T00:00:00.000Z", socket: snapshot.info.socket, backend: "be_app", mode: "maint",
            before: [before], after: [after])
        var failedOver = snapshot
        let index = try #require(failedOver.backends.firstIndex { $0.name == "be_app" })
        let position = try #require(failedOver.backends[index].servers.firstIndex { $0.name == "app5" })
        failedOver.backends[index].servers[position].admin = AdminState(mode: .maint)
        for id in ["lb1", "lb2"] as [BalancerID] {
            _ = ConsoleUpdate.update(&model, .refreshed(.success(failedOver), at: model.now, from: id))
        }
        _ = ConsoleUpdate.update(&model, .fleetFailoversLoaded(backend: "be_app", ["lb1": record, "lb2": record]))
        guard case .fleet(let proposal, _) = model.dialog else {
            Issue.record("no fleet dialog: \(String(describing: model.dialog)) \(String(describing: model.message))")
            return
        }
        #expect(proposal.taking.map(\.label) == ["lb1", "lb2"])
        #expect(proposal.nodes[2].plan == nil && proposal.nodes[2].problem == nil)  // lb3: nothing recorded
    }
}

/// A refresh whose reads began before an action's result may show the state before the action: it is not
/// applied over the result (it once made a fail back right after a failover see the servers READY).
@Suite("Refreshes read before an action's result")
struct StaleRefreshTests {
    @Test func aRefreshStartedBeforeTheResultIsNotApplied() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        let t = model.now
        _ = ConsoleUpdate.update(&model, .fleetPerformed(FleetActionDialogTests.rolledBackReport, label: "drain"))
        var before = try #require(model.balancers[0].snapshot)
        let index = try #require(before.backends.firstIndex { $0.name == "be_app" })
        before.backends[index].servers[0].weight = 1  // what an old read would show
        let old = ConsoleUpdate.update(
            &model,
            .refreshed(
                .success(before), at: t.addingTimeInterval(0.1), from: "lb1", started: t.addingTimeInterval(-0.5)))
        #expect(old.isEmpty)
        #expect(model.balancers[0].snapshot?.backends[index].servers[0].weight != 1)
        #expect(model.balancers[0].nextRefresh <= model.now)  // read again at once
        // Until it is, a new fleet action waits for it instead of planning on the state before the last one.
        ConsoleFixtures.press([.enter, .down, .down, .char("d")], &model)
        #expect(model.dialog == nil)  // both balancers are being read again: nothing to plan on yet
        #expect(model.message?.text.contains("reading lb1, lb2 again after the last action") == true)
        #expect(model.pendingFleetAction?.action == .drain)
        _ = ConsoleUpdate.update(
            &model,
            .refreshed(.success(before), at: t.addingTimeInterval(0.3), from: "lb1", started: t.addingTimeInterval(0.2))
        )
        #expect(model.balancers[0].snapshot?.backends[index].servers[0].weight == 1)  // read after: applied
    }
}
