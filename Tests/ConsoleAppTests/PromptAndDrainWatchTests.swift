import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// The raw Runtime API prompt and drain-and-wait.
@Suite("Raw prompt and drain watch")
struct PromptAndDrainWatchTests {
    @Test func readsAreSentWritesAreConfirmedReadOnlyRefusesWrites() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("!")], &model)
        #expect(model.prompt.input == "")
        let read = ConsoleFixtures.press(ConsoleFixtures.keys("show servers state") + [.enter], &model)
        #expect(read == [.raw(try RuntimeCommand.raw("show servers state"))])
        _ = ConsoleUpdate.update(&model, .rawReplied(command: "show servers state", .success("1\n# be_id be_name")))
        #expect(model.prompt.transcript.suffix(2) == ["1", "# be_id be_name"])
        let write = ConsoleFixtures.press(ConsoleFixtures.keys("disable frontend fe_main") + [.enter], &model)
        #expect(write.isEmpty)
        #expect(model.dialog == .raw(try RuntimeCommand.raw("disable frontend fe_main")))
        assertScreen(model, named: "120x40")
        #expect(
            ConsoleFixtures.press([.char("y")], &model) == [.raw(try RuntimeCommand.raw("disable frontend fe_main"))])
        let injection = ConsoleFixtures.press(
            ConsoleFixtures.keys("show info;disable frontend fe_main") + [.enter], &model)
        #expect(injection.isEmpty)
        #expect(model.prompt.transcript.last?.contains("';' would run several commands") == true)

        var readOnly = try ConsoleFixtures.model(width: 120, height: 40, level: .user)
        ConsoleFixtures.press(
            [.char("!")] + ConsoleFixtures.keys("set server be_app/app1 state drain") + [.enter], &readOnly)
        #expect(readOnly.dialog == nil)
        #expect(readOnly.prompt.transcript.last?.hasPrefix("✗ read-only") == true)
        #expect(ConsoleFixtures.press(ConsoleFixtures.keys("get weight be_app/app1") + [.enter], &readOnly).count == 1)
    }

    @Test func historyAndCompletion() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("!")] + ConsoleFixtures.keys("show info") + [.enter], &model)
        ConsoleFixtures.press(ConsoleFixtures.keys("show stat") + [.enter], &model)
        ConsoleFixtures.press([.up], &model)
        #expect(model.prompt.input == "show stat")
        ConsoleFixtures.press([.up], &model)
        #expect(model.prompt.input == "show info")
        ConsoleFixtures.press([.down, .down], &model)
        #expect(model.prompt.input == "")
        ConsoleFixtures.press(ConsoleFixtures.keys("get weight be_s") + [.tab], &model)
        #expect(model.prompt.input == "get weight be_static/")
        ConsoleFixtures.press(ConsoleFixtures.keys("s") + [.tab], &model)
        #expect(model.prompt.input == "get weight be_static/s")
        ConsoleFixtures.press(ConsoleFixtures.keys("2") + [.escape], &model)
        #expect(model.prompt.input == nil)
    }

    @Test func drainAndWaitThenMaint() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.end, .char("d")], &model)
        guard case .confirm(let drain, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(ConsoleFixtures.press([.char("T")], &model).isEmpty)
        #expect(model.dialog == .drainTimeout(drain, text: "120"))
        let effects = ConsoleFixtures.press(
            [.backspace, .backspace, .backspace] + ConsoleFixtures.keys("45") + [.enter], &model)
        #expect(effects == [.perform(drain)])
        #expect(model.drainWatch?.thenMaint == true)
        #expect(model.drainWatch?.deadline == model.now.addingTimeInterval(45))
        var busy = try ConsoleFixtures.snapshot()
        let index = try #require(busy.backends.firstIndex { $0.name == "be_static" })
        busy.backends[index].servers[1].sessions = 3
        busy.backends[index].servers[1].admin = AdminState(mode: .drain)
        let first = ConsoleUpdate.update(
            &model, .refreshed(.success(busy), at: ConsoleFixtures.start.addingTimeInterval(2)))
        #expect(!first.contains { if case .perform = $0 { true } else { false } })  // 3 sessions left: keep waiting
        #expect(model.drainWatch?.remaining == 3)
        assertScreen(model, named: "80x24")
        busy.backends[index].servers[1].sessions = 0
        let then = ConsoleUpdate.update(
            &model, .refreshed(.success(busy), at: ConsoleFixtures.start.addingTimeInterval(5)))
        guard case .perform(let maint, _) = then.first else { Issue.record("no MAINT at 0 sessions"); return }
        #expect(maint.steps == [.setAdmin(try ServerRef(parsing: "be_static/s2"), .maint)])
        #expect(model.drainWatch == nil)
    }

    /// Defect 2 in the console: after a reload the new worker's 0 says nothing of the old worker.
    @Test(arguments: [false, true])
    func aReloadDuringTheWatchNeverFiresMaint(drainLost: Bool) throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.end, .char("d")], &model)
        ConsoleFixtures.press([.char("T")], &model)
        _ = ConsoleFixtures.press([.enter], &model)
        var busy = try ConsoleFixtures.snapshot()
        let index = try #require(busy.backends.firstIndex { $0.name == "be_static" })
        busy.backends[index].servers[1].sessions = 3
        busy.backends[index].servers[1].admin = AdminState(mode: .drain)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(busy), at: ConsoleFixtures.start.addingTimeInterval(2)))
        var reloaded = busy
        reloaded.info.pid += 1
        reloaded.backends[index].servers[1].sessions = 0
        if drainLost { reloaded.backends[index].servers[1].admin = AdminState(mode: .ready) }
        let effects = ConsoleUpdate.update(
            &model, .refreshed(.success(reloaded), at: ConsoleFixtures.start.addingTimeInterval(3)))
        #expect(!effects.contains { if case .perform = $0 { true } else { false } })
        #expect(model.drainWatch == nil)
        let text = model.message?.text ?? ""
        if drainLost {
            #expect(text.contains("lost the DRAIN of be_static/s2") && text.contains("MAINT was not sent"))
        } else {
            #expect(
                text.contains("old worker (pid \(busy.info.pid)) may still serve")
                    && text.contains("MAINT was not sent"))
        }
    }

    @Test func drainWatchGivesUpAtTheOperatorsTimeout() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.end, .char("d"), .char("W")], &model)
        #expect(model.drainWatch?.thenMaint == false)
        model.drainWatch?.deadline = ConsoleFixtures.start.addingTimeInterval(10)
        var busy = try ConsoleFixtures.snapshot()
        let index = try #require(busy.backends.firstIndex { $0.name == "be_static" })
        busy.backends[index].servers[1].sessions = 2
        _ = ConsoleUpdate.update(&model, .tick(ConsoleFixtures.start.addingTimeInterval(11)))
        let effects = ConsoleUpdate.update(
            &model, .refreshed(.success(busy), at: ConsoleFixtures.start.addingTimeInterval(11)))
        #expect(effects.isEmpty)
        #expect(model.drainWatch == nil)
        #expect(model.message?.text == "drain of be_static/s2: 2 session(s) still open at the deadline")
    }

    @Test func checksCanBeToggledFromTheForceDialog() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.end, .char("h"), .char("X")], &model)
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(plan.steps == [.healthChecks(try ServerRef(parsing: "be_static/s2"), enabled: false)])
    }
}

/// A reload during a gradual fail back: the new worker's `lbtot` starts at 0, so the wait starts over there.
@Suite("Gradual fail back across a reload")
struct FailbackReloadTests {
    @Test func theBaselineFollowsTheNewWorker() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        var wait = FailbackWait(server: "be_static/s1", deadline: ConsoleFixtures.start.addingTimeInterval(60))
        var reloaded = try ConsoleFixtures.snapshot()
        let index = try #require(reloaded.backends.firstIndex { $0.name == "be_static" })
        reloaded.backends[index].servers[0].selectedTotal = 100
        #expect(wait.watch.observe(reloaded) == .waiting)  // the baseline on the old worker
        #expect(wait.watch.baseline == 100)
        model.failback.waiting = wait
        reloaded.backends[index].servers[0].selectedTotal = 3
        reloaded.info.pid += 1
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(reloaded), at: ConsoleFixtures.start.addingTimeInterval(1)))
        #expect(model.failback.waiting?.watch.baseline == 3)
        #expect(model.message?.text.contains("reload during the gradual fail back") == true)
        reloaded.backends[index].servers[0].selectedTotal = 5
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(reloaded), at: ConsoleFixtures.start.addingTimeInterval(2)))
        #expect(model.failback.waiting == nil)  // UP and picked on the new worker: done waiting
    }
}
