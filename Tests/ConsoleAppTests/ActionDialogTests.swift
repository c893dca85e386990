import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// Actions in the console: dialogs, confirmation, the effects emitted, undo, read-only; with golden
/// screens of every dialog.
@Suite("Action dialogs")
struct ActionDialogTests {
    static func record(_ plan: ActionPlan, verified: Bool = true) -> AuditRecord {
        AuditRecord(
            time: "2027-01-15T08:00:00.000Z", user: "oncall", host: "lb-admin-1", via: "console",
            balancer: .init(product: "HAProxy", version: "2.6.12", pid: 11212, node: "vm"),
            socket: "/run/haproxy/admin.sock",
            intent: plan.label, targets: plan.intent.targets.map(\.id), warnings: plan.warnings,
            commands: plan.steps.map { CommandExchange(command: "\($0)", reply: "") }, before: plan.before, after: [],
            verified: verified, outcome: verified ? "verified" : "not observed: be_static/s1 admin drain", error: nil,
            dryRun: false)
    }

    @Test func drainIsConfirmedThenPerformed() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .up], &model)  // be_static/s1
        #expect(ConsoleFixtures.press([.char("d")], &model).isEmpty)
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(plan.steps == [.setAdmin(try ServerRef(parsing: "be_static/s1"), .drain)])
        assertScreen(model, named: "120x40")
        let effects = ConsoleFixtures.press([.char("y")], &model)
        #expect(effects == [.perform(plan)])
        #expect(model.dialog == nil && model.actionInFlight == "drain")
        let outcome = ActionOutcome(
            plan: plan, exchanges: [CommandExchange(command: "set server be_static/s1 state drain", reply: "")],
            verified: true,
            unmet: [], failure: nil, after: [], record: Self.record(plan))
        let after = ConsoleUpdate.update(&model, .performed(.success(outcome)))
        #expect(after.count == 2)  // the timeline entry and an immediate refresh
        #expect(after.contains { if case .refresh = $0 { true } else { false } })
        #expect(model.message?.text == "✓ drain be_static/s1 — verified")
        #expect(model.undoable?.before == plan.before)

        ConsoleFixtures.press([.char("u")], &model)  // the balancer has not changed yet in this model
        #expect(model.dialog == nil)
        #expect(model.message?.text == "nothing to undo: the servers are already as recorded")
        var drained = try ConsoleFixtures.snapshot()
        let index = try #require(drained.backends.firstIndex { $0.name == "be_static" })
        drained.backends[index].servers[0].admin = AdminState(mode: .drain)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(drained), at: ConsoleFixtures.start.addingTimeInterval(2)))
        ConsoleFixtures.press([.char("u")], &model)
        guard case .confirm(let undo, _) = model.dialog else { Issue.record("no undo dialog"); return }
        #expect(undo.label == "undo")
        #expect(undo.steps == [.setAdmin(try ServerRef(parsing: "be_static/s1"), .ready)])
        #expect(ConsoleFixtures.press([.enter], &model) == [.perform(undo)])
    }

    @Test func escCancelsAndNothingIsSent() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.end], &model)
        ConsoleFixtures.press([.char("m")], &model)
        #expect(model.dialog != nil)
        #expect(ConsoleFixtures.press([.escape], &model).isEmpty)
        #expect(model.dialog == nil)
        #expect(model.message?.text == "cancelled; nothing was sent")
    }

    @Test func leavingABackendEmptyNeedsItsNameTyped() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("be:track t2") + [.enter, .down], &model)
        #expect(model.selectedRow?.id == "be_track/t2")
        ConsoleFixtures.press([.char("m")], &model)
        assertScreen(model, named: "80x24")
        #expect(ConsoleFixtures.press([.char("y"), .enter], &model).isEmpty)  // "y" is typed, not a confirmation
        ConsoleFixtures.press([.backspace], &model)
        let effects = ConsoleFixtures.press(ConsoleFixtures.keys("be_track") + [.enter], &model)
        #expect(effects.count == 1)
        if case .perform(let plan, _) = effects.first { #expect(plan.leavesBackendWithoutActiveServers) }
    }

    @Test func weightDialogPreviewsEveryShare() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end], &model)  // be_static/s2 (static-rr)
        ConsoleFixtures.press([.char("w")] + ConsoleFixtures.keys("0%"), &model)
        assertScreen(model, named: "120x40")
        let effects = ConsoleFixtures.press([.enter], &model)
        guard case .perform(let plan, _) = effects.first else { Issue.record("nothing performed"); return }
        #expect(plan.steps == [.setWeight(try ServerRef(parsing: "be_static/s2"), .percent(0))])
        var refused = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end, .char("w")] + ConsoleFixtures.keys("5") + [.enter], &refused)
        #expect(refused.message?.text.contains("static algorithm") == true)
    }

    @Test func marksApplyToEveryMarkedServer() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.end, .up, .char(" "), .char(" ")], &model)  // marks s1 then s2
        #expect(model.marked == ["be_static/s1", "be_static/s2"])
        ConsoleFixtures.press([.char("d")], &model)
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(plan.intent.targets.map(\.description) == ["be_static/s1", "be_static/s2"])
        #expect(plan.leavesBackendWithoutActiveServers)
        assertScreen(model, named: "80x24")
    }

    @Test func forcedHealthOffersToDisableChecks() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.end, .char("h"), .char("c")], &model)
        assertScreen(model, named: "80x24")
        ConsoleFixtures.press([.char("d")], &model)
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(plan.steps.count == 2)
        #expect(!plan.warnings.contains { $0.contains("next check overwrites") })
    }

    @Test func readOnlySendsNothing() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24, level: .operator)
        ConsoleFixtures.press([.end], &model)
        for key in ["d", "e", "m", "w", "h", "A", "K", "u"] {
            #expect(ConsoleFixtures.press([.char(Character(key))], &model).isEmpty, "\(key)")
            #expect(model.dialog == nil)
        }
        #expect(model.message?.text.hasPrefix("read-only (socket level operator; actions need admin)") == true)
        assertScreen(model, named: "80x24")
        var requested = try ConsoleFixtures.model(width: 160, height: 60)
        requested.readOnlyRequested = true
        ConsoleFixtures.press([.end, .char("d")], &requested)
        #expect(requested.dialog == nil)
        ConsoleFixtures.press([.char("?")], &requested)
        #expect(ConsoleRender.render(requested).lines.joined().contains("[disabled: --read-only]"))
    }

    @Test func auditLogView() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        #expect(ConsoleFixtures.press([.char("L")], &model) == [.loadAudit])
        let plan = try ActionPlanner.plan(
            ActionIntent(targets: [try ServerRef(parsing: "be_static/s1")], operation: .setAdmin(.drain)),
            on: try ConsoleFixtures.snapshot())
        _ = ConsoleUpdate.update(
            &model, .auditLoaded(.success([Self.record(plan), Self.record(plan, verified: false)])))
        assertScreen(model, named: "120x40")
    }
}
