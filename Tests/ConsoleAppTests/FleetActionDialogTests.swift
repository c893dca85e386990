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
