import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

@testable import ConsoleApp

/// Failover, fail back, redistribution and events in the console.
@Suite("Failover, redistribution and events in the console")
struct FailoverDialogTests {
    @Test func failoverPreviewNeedsTheBackendNameAndIsRecorded() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("F")], &model)  // on be_app
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(plan.label == "failover be_app to backups")
        assertScreen(model, named: "120x40")
        let effects = ConsoleFixtures.press(ConsoleFixtures.keys("be_app") + [.enter], &model)
        #expect(effects == [.perform(plan)])
        let outcome = ActionOutcome(
            plan: plan, exchanges: [CommandExchange(command: "set server be_app/app1 state maint", reply: "")],
            verified: true,
            unmet: [], failure: nil, after: [], record: ActionDialogTests.record(plan))
        let after = ConsoleUpdate.update(&model, .performed(.success(outcome)))
        #expect(
            after.contains {
                if case .saveFailover(let record, _) = $0 {
                    record.backend == "be_app" && record.before == plan.before
                } else {
                    false
                }
            })
        #expect(
            after.contains {
                if case .recordEvents(let events) = $0 { events.first?.kind == .operatorAction } else { false }
            })
    }

    @Test func failbackUsesTheRecordedStates() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        #expect(ConsoleFixtures.press([.char("B")], &model) == [.loadFailover("be_app")])
        _ = ConsoleUpdate.update(&model, .failoverLoaded(backend: "be_app", .success(nil)))
        #expect(model.message?.text == "no failover of be_app is on record")
        let snapshot = try ConsoleFixtures.snapshot()
        let failover = try FailoverPlanner.failover(backend: "be_app", on: snapshot)
        var out = snapshot
        let index = try #require(out.backends.firstIndex { $0.name == "be_app" })
        for position in out.backends[index].servers.indices where !out.backends[index].servers[position].isBackup {
            out.backends[index].servers[position].admin = AdminState(mode: .maint)
        }
        _ = ConsoleUpdate.update(&model, .refreshed(.success(out), at: ConsoleFixtures.start.addingTimeInterval(1)))
        let record = FailoverStore.Record(
            time: "t", socket: snapshot.info.socket, backend: "be_app", mode: "maint", before: failover.before)
        _ = ConsoleUpdate.update(&model, .failoverLoaded(backend: "be_app", .success(record)))
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no failback dialog"); return }
        #expect(plan.label == "failback be_app")
        #expect(plan.expectations.contains(.admin("be_app/app2", .drain)))
        assertScreen(model, named: "80x24")
    }

    @Test func redistributeDialog() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("be:track") + [.enter], &model)
        ConsoleFixtures.press([.char("D")], &model)
        #expect(model.dialog == .redistribute(backend: "be_track", plan: nil, error: nil))
        ConsoleFixtures.press([.char("e")], &model)
        assertScreen(model, named: "120x40")
        var app = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("D"), .char("c")], &app)
        guard case .redistribute(_, let plan?, nil) = app.dialog else { Issue.record("no plan"); return }
        #expect(ConsoleFixtures.press([.enter], &app) == [.perform(plan.actions)])
    }

    @Test func eventsAreDetectedShownAndRecorded() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        var down = try ConsoleFixtures.snapshot()
        let index = try #require(down.backends.firstIndex { $0.name == "be_static" })
        down.backends[index].servers[0].health = .down
        down.backends[index].servers[0].status = ServerStatus("DOWN")
        model.bellOnCritical = true
        let effects = ConsoleUpdate.update(
            &model, .refreshed(.success(down), at: ConsoleFixtures.start.addingTimeInterval(1)))
        #expect(effects.contains(.bell))
        #expect(
            effects.contains {
                if case .recordEvents(let events) = $0 { events.map(\.kind) == [.serverDown] } else { false }
            })
        #expect(model.alerts["be_static"] != nil)
        #expect(ConsoleRender.render(model).lines.contains { $0.hasPrefix("▾ be_static !") })
        ConsoleFixtures.press([.char("v")], &model)
        assertScreen(model, named: "120x40")
    }
}

@Suite("Observed split after a redistribution")
struct SplitWatchTests {
    @Test func theFooterComparesTheObservedSplitWithThePlan() throws {
        var model = try ConsoleFixtures.model(width: 160, height: 40)
        ConsoleFixtures.press([.char("D"), .char("c")], &model)  // be_app by capacity
        guard case .redistribute(_, let plan?, nil) = model.dialog else { Issue.record("no plan"); return }
        ConsoleFixtures.press([.enter], &model)
        let outcome = ActionOutcome(
            plan: plan.actions, exchanges: [CommandExchange(command: "set server be_app/app5 weight 256", reply: "")],
            verified: true, unmet: [], failure: nil, after: [], record: ActionDialogTests.record(plan.actions))
        _ = ConsoleUpdate.update(&model, .performed(.success(outcome)))
        #expect(model.splitWatch?.backend == "be_app")
        var snapshot = try ConsoleFixtures.snapshot()
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(snapshot), at: ConsoleFixtures.start.addingTimeInterval(1)))
        let index = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
        let app5 = try #require(snapshot.backends[index].servers.firstIndex { $0.name == "app5" })
        snapshot.backends[index].servers[app5].selectedTotal += 40
        model.message = nil
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(snapshot), at: ConsoleFixtures.start.addingTimeInterval(2)))
        #expect(model.splitWatch?.counted == 40)
        #expect(model.splitWatch?.observed["app5"] == 1)
        let footer = ConsoleRender.render(model).lines.last ?? ""
        #expect(footer.contains("split of 40 new sessions on be_app since the redistribution"), "\(footer)")
        #expect(footer.contains("app5 100% (plan 100%)"), "\(footer)")
    }
}

@Suite("Gradual fail back in the console")
struct GradualFailbackTests {
    @Test func oneServerAtATimeWaitingForUpAndTraffic() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        let snapshot = try ConsoleFixtures.snapshot()
        let failover = try FailoverPlanner.failover(backend: "be_static", keep: ["s2"], on: snapshot)
        // be_static/s1 was taken out; add s2 to the record as if both had been (s2 "before": ready).
        var out = snapshot
        let index = try #require(out.backends.firstIndex { $0.name == "be_static" })
        out.backends[index].servers[0].admin = AdminState(mode: .maint)
        out.backends[index].servers[1].admin = AdminState(mode: .maint)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(out), at: ConsoleFixtures.start.addingTimeInterval(1)))
        let before = failover.before + [ActionPlan.ServerState(snapshot.server("be_static", "s2")!)]
        let record = FailoverStore.Record(
            time: "t", socket: snapshot.info.socket, backend: "be_static", mode: "maint", before: before)
        _ = ConsoleUpdate.update(&model, .failoverLoaded(backend: "be_static", .success(record)))
        guard case .confirm(let all, _) = model.dialog else {
            Issue.record("no dialog: \(String(describing: model.message))"); return
        }
        #expect(all.steps.count == 2)
        let first = ConsoleFixtures.press([.char("g")], &model)
        guard case .perform(let step1, _) = first.first else { Issue.record("nothing sent"); return }
        #expect(step1.steps == [.setAdmin(try ServerRef(parsing: "be_static/s1"), .ready)])
        #expect(model.failback.queue.count == 1)

        let outcome = ActionOutcome(
            plan: step1, exchanges: [CommandExchange(command: "set server be_static/s1 state ready", reply: "")],
            verified: true,
            unmet: [], failure: nil, after: [], record: ActionDialogTests.record(step1))
        let afterFirst = ConsoleUpdate.update(&model, .performed(.success(outcome)))
        #expect(!afterFirst.contains { if case .clearFailover = $0 { true } else { false } })  // not done yet
        #expect(model.failback.waiting?.watch.server == "be_static/s1")
        // s1 is back and UP but not picked yet: keep waiting.
        out.backends[index].servers[0].admin = AdminState(mode: .ready)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(out), at: ConsoleFixtures.start.addingTimeInterval(2)))
        #expect(
            ConsoleRender.render(model).lines.last?.contains(
                "waiting for be_static/s1 to be UP and taking traffic · 1 left") == true)
        let waiting = ConsoleUpdate.update(
            &model, .refreshed(.success(out), at: ConsoleFixtures.start.addingTimeInterval(3)))
        #expect(!waiting.contains { if case .perform = $0 { true } else { false } })
        out.backends[index].servers[0].selectedTotal += 5  // picked by the balancer
        let next = ConsoleUpdate.update(
            &model, .refreshed(.success(out), at: ConsoleFixtures.start.addingTimeInterval(4)))
        guard case .perform(let step2, _)? = next.first(where: { if case .perform = $0 { true } else { false } }) else {
            Issue.record("second server not sent")
            return
        }
        #expect(step2.steps == [.setAdmin(try ServerRef(parsing: "be_static/s2"), .ready)])
        let done = ActionOutcome(
            plan: step2, exchanges: [CommandExchange(command: "set server be_static/s2 state ready", reply: "")],
            verified: true,
            unmet: [], failure: nil, after: [], record: ActionDialogTests.record(step2))
        #expect(ConsoleUpdate.update(&model, .performed(.success(done))).contains(.clearFailover("be_static")))
    }
}
