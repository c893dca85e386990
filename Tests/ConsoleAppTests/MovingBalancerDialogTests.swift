import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// The balancer moves while a dialog is open: plans are re-checked on every refresh and before sending.
@Suite("Dialogs on a moving balancer")
struct MovingBalancerDialogTests {
    static func setAdmin(_ snapshot: inout BalancerSnapshot, _ backend: String, _ server: String, _ mode: AdminMode) {
        let b = snapshot.backends.firstIndex { $0.name == backend }!
        let s = snapshot.backends[b].servers.firstIndex { $0.name == server }!
        snapshot.backends[b].servers[s].admin = AdminState(mode: mode)
    }

    /// Defect 1: a drain dialog opened at 2/2 → 1/2 stayed unchanged after the other server was drained,
    /// and `y` emptied the backend without the typed name.
    @Test func aStaleDrainDialogIsReplannedAndReguarded() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .up], &model)  // be_static/s1
        ConsoleFixtures.press([.char("d")], &model)
        guard case .confirm(let opened, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(!opened.leavesBackendWithoutActiveServers)
        #expect(opened.basis.count == 2)

        var moved = try ConsoleFixtures.snapshot()
        Self.setAdmin(&moved, "be_static", "s2", .drain)  // someone else drains the other server
        _ = ConsoleUpdate.update(&model, .refreshed(.success(moved), at: ConsoleFixtures.start.addingTimeInterval(1)))

        guard case .confirm(let replanned, let typed) = model.dialog else { Issue.record("dialog closed"); return }
        #expect(typed.isEmpty)
        #expect(replanned.leavesBackendWithoutActiveServers)
        #expect(replanned.changes == ["be_static/s2: admin ready → drain"])
        #expect(replanned.warnings.first?.contains("be_static would have NO server serving") == true)
        #expect(replanned.steps == opened.steps)
        // `y` is now typed into the name field, not a confirmation.
        #expect(ConsoleFixtures.press([.char("y")], &model).isEmpty)
        #expect(ConsoleFixtures.press([.enter], &model).isEmpty)
        ConsoleFixtures.press([.backspace], &model)
        let effects = ConsoleFixtures.press(ConsoleFixtures.keys("be_static") + [.enter], &model)
        #expect(effects == [.perform(replanned)])
    }

    @Test func theChangesAreShownInTheDialog() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .up], &model)
        ConsoleFixtures.press([.char("d")], &model)
        var moved = try ConsoleFixtures.snapshot()
        Self.setAdmin(&moved, "be_static", "s2", .maint)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(moved), at: ConsoleFixtures.start.addingTimeInterval(1)))
        let screen = ConsoleRender.render(model).lines.joined(separator: "\n")
        #expect(screen.contains("CHANGED since this dialog opened"))
        #expect(screen.contains("be_static/s2: admin ready → maint"))
        #expect(screen.contains("Type be_static and Enter to proceed"))
    }

    @Test func anUnchangedRefreshLeavesTheDialogAlone() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .up], &model)
        ConsoleFixtures.press([.char("d")], &model)
        let before = model.dialog
        _ = ConsoleUpdate.update(
            &model,
            .refreshed(.success(try ConsoleFixtures.snapshot()), at: ConsoleFixtures.start.addingTimeInterval(1)))
        #expect(model.dialog == before)
    }

    @Test func aPlanRefusedAsChangedByTheExecutorReopensTheDialog() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .up], &model)
        ConsoleFixtures.press([.char("d")], &model)
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        _ = ConsoleFixtures.press([.char("y")], &model)
        #expect(model.actionInFlight != nil)
        var moved = try ConsoleFixtures.snapshot()
        Self.setAdmin(&moved, "be_static", "s2", .drain)
        let recheck = ActionPlanner.recheck(plan, on: moved)
        _ = ConsoleUpdate.update(&model, .planChanged(recheck))
        #expect(model.actionInFlight == nil)
        #expect(model.dialog == .confirm(recheck.plan, typed: ""))
        #expect(model.message?.text.contains("nothing was sent") == true)
    }

    /// Defect 5: undo after a colleague set the drained server to MAINT restored READY over their change.
    @Test func undoLeavesAloneAServerSomeoneElseChangedSince() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .up], &model)
        ConsoleFixtures.press([.char("d")], &model)
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        _ = ConsoleFixtures.press([.char("y")], &model)
        var drained = try ConsoleFixtures.snapshot()
        Self.setAdmin(&drained, "be_static", "s1", .drain)
        let after = [ActionPlan.ServerState(drained.server("be_static", "s1")!)]
        let outcome = ActionOutcome(
            plan: plan, exchanges: [CommandExchange(command: "set server be_static/s1 state drain", reply: "")],
            verified: true, unmet: [], failure: nil, after: after, record: ActionDialogTests.record(plan))
        _ = ConsoleUpdate.update(&model, .performed(.success(outcome)))

        var colleague = drained
        Self.setAdmin(&colleague, "be_static", "s1", .maint)
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(colleague), at: ConsoleFixtures.start.addingTimeInterval(2)))
        ConsoleFixtures.press([.char("u")], &model)
        #expect(model.dialog == nil)
        #expect(model.message?.text.contains("changed since by someone else") == true)
    }

    /// Defect 7, the dialog side: a weight changed by someone else while the weight dialog is open is said.
    @Test func theWeightDialogSaysWhenTheWeightChangesUnderIt() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .up], &model)  // be_static/s1
        ConsoleFixtures.press([.char("w")], &model)
        guard case .weight = model.dialog else { Issue.record("no weight dialog"); return }
        var moved = try ConsoleFixtures.snapshot()
        let b = try #require(moved.backends.firstIndex { $0.name == "be_static" })
        let old = moved.backends[b].servers[0].weight
        moved.backends[b].servers[0].weight = 3
        _ = ConsoleUpdate.update(&model, .refreshed(.success(moved), at: ConsoleFixtures.start.addingTimeInterval(1)))
        #expect(model.message?.text == "weight changed under this dialog (someone else?): be_static/s1 \(old) → 3")
    }
}
