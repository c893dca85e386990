import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// The ramped return in the console (issue 10): `r` in the confirmation of ready sends the weight at 25 % before
/// READY, and each tick after the interval plans the next step on the newest state, until 100 %; a step that
/// does not verify stops the ramp.
@Suite("Ramped return in the console")
struct RampDialogTests {
    static func outcome(_ plan: ActionPlan, verified: Bool = true) -> ActionOutcome {
        ActionOutcome(
            plan: plan, exchanges: [CommandExchange(command: "set server …", reply: "")], verified: verified,
            unmet: [], failure: nil, after: [], record: ActionDialogTests.record(plan))
    }

    /// The fixture with be_app/app1 in DRAIN at its weight, selected.
    static func drained() throws -> (ConsoleModel, weight: Int) {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        var snapshot = try ConsoleFixtures.snapshot()
        let backend = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
        snapshot.backends[backend].servers[0].admin = AdminState(mode: .drain)
        let weight = snapshot.backends[backend].servers[0].weight
        _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot), at: model.now.addingTimeInterval(0.5)))
        model.cursor = try #require(model.rows.firstIndex { $0.id.server == "be_app/app1" })
        return (model, weight)
    }

    /// The balancer as a step left it: app1 with `admin` and `weight`.
    static func observe(_ model: inout ConsoleModel, admin: AdminMode, weight: Int, after seconds: TimeInterval) throws
    {
        var snapshot = try #require(model.snapshot)
        let backend = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
        snapshot.backends[backend].servers[0].admin = AdminState(mode: admin)
        snapshot.backends[backend].servers[0].weight = weight
        _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot), at: model.now.addingTimeInterval(seconds)))
    }

    static func commands(_ effects: [ConsoleEffect]) -> [String] {
        for case .perform(let plan, _) in effects { return plan.steps.map { RuntimeCommand(for: $0).line } }
        return []
    }

    @Test func readyRampsTheWeightBackInStepsOnTheNewestState() throws {
        var (model, weight) = try Self.drained()
        ConsoleFixtures.press([.char("e")], &model)  // ready
        guard case .confirm(let plan, _) = model.dialog else { Issue.record("no dialog"); return }
        #expect(ConsoleRender.render(model).golden.contains("r ramp 25/50/100%"))
        let first = ConsoleFixtures.press([.char("r")], &model)
        #expect(
            Self.commands(first) == [
                "set server be_app/app1 weight \(weight / 4)", "set server be_app/app1 state ready",
            ])
        #expect(model.ramp?.sent == 25)
        for case .perform(let sent, _) in first {
            _ = ConsoleUpdate.update(&model, .performed(.success(Self.outcome(sent))))
        }
        try Self.observe(&model, admin: .ready, weight: weight / 4, after: 1)
        // Not before the interval.
        #expect(Self.commands(ConsoleUpdate.update(&model, .tick(model.now.addingTimeInterval(5)))).isEmpty)
        model.cursor = try #require(model.rows.firstIndex { $0.id.server == "be_app/app2" })
        ConsoleFixtures.press([.char("w")], &model)  // the operator opens another dialog meanwhile
        #expect(model.dialog != nil, "\(String(describing: model.message))")
        let second = ConsoleUpdate.update(&model, .tick(model.now.addingTimeInterval(10)))
        #expect(Self.commands(second) == ["set server be_app/app1 weight \(weight / 2)"])
        guard case .weight = model.dialog else {
            Issue.record("the ramp's step closed the operator's dialog: \(String(describing: model.dialog))")
            return
        }
        ConsoleFixtures.press([.escape], &model)
        #expect(model.ramp?.sent == 50)
        for case .perform(let sent, _) in second {
            #expect(sent.label == "\(plan.label): weight 50%")
            _ = ConsoleUpdate.update(&model, .performed(.success(Self.outcome(sent))))
        }
        // Someone set another weight in between: the last step leaves that server alone, and says so.
        try Self.observe(&model, admin: .ready, weight: 7, after: 1)
        _ = ConsoleUpdate.update(&model, .tick(model.now.addingTimeInterval(11)))
        #expect(model.ramp == nil)
        #expect(
            model.message?.text.contains("changed since by someone else") == true,
            "\(String(describing: model.message))")
    }

    @Test func aStepThatDoesNotVerifyStopsTheRamp() throws {
        var (model, weight) = try Self.drained()
        ConsoleFixtures.press([.char("e")], &model)
        let first = ConsoleFixtures.press([.char("r")], &model)
        for case .perform(let sent, _) in first {
            _ = ConsoleUpdate.update(&model, .performed(.success(Self.outcome(sent, verified: false))))
        }
        #expect(model.ramp == nil)
        try Self.observe(&model, admin: .ready, weight: weight / 4, after: 1)
        #expect(Self.commands(ConsoleUpdate.update(&model, .tick(model.now.addingTimeInterval(20)))).isEmpty)
    }

    @Test func aPlanWithNothingComingBackIsNotRamped() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        model.cursor = try #require(model.rows.firstIndex { $0.id.server == "be_app/app1" })
        ConsoleFixtures.press([.char("d")], &model)  // drain: nothing returns
        let effects = ConsoleFixtures.press([.char("r")], &model)
        #expect(Self.commands(effects).isEmpty && model.ramp == nil)
    }

    @Test func aServerAlreadyServingIsNotRampedDown() throws {
        var snapshot = try ConsoleFixtures.snapshot()
        let backend = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
        let up = try #require(
            snapshot.backends[backend].servers.firstIndex { $0.health == .up && $0.admin.mode == .ready })
        snapshot.backends[backend].servers[up].weight = 50  // READY at 50, to be brought to 100
        var wanted = ActionPlan.ServerState(snapshot.backends[backend].servers[up])
        wanted.weight = 100
        #expect(RampedReturn.returning([wanted], on: snapshot).isEmpty)
        snapshot.backends[backend].servers[up].admin = AdminState(mode: .drain)
        #expect(RampedReturn.returning([wanted], on: snapshot) == [wanted.server])
    }
}
