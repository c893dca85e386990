import Foundation
import SwitchboardCore
import Testing

@testable import ConsoleApp

/// A fleet action asked for right after the last one's result waits for every balancer's read after it, then
/// opens its preview on the newest states, instead of a preview that lists them as unable to take part.
@Suite("Fleet action asked for while balancers are read again")
struct PendingFleetActionTests {
    /// Two balancers right after a fleet drain's result, the table closed.
    static func afterADrain() throws -> ConsoleModel {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        ConsoleFixtures.press([.down, .down, .char("d"), .char("y")], &model)
        _ = ConsoleUpdate.update(&model, .fleetPerformed(FleetActionDialogTests.verifiedOnTwo, label: "drain"))
        ConsoleFixtures.press([.escape], &model)
        #expect(model.dialog == nil)
        return model
    }

    static func read(_ id: BalancerID, after seconds: TimeInterval, _ model: inout ConsoleModel) throws
        -> [ConsoleEffect]
    {
        let index = try #require(model.index(of: id))
        let snapshot = try #require(model.balancers[index].snapshot)
        let started = model.now.addingTimeInterval(seconds / 2)
        return ConsoleUpdate.update(
            &model,
            .refreshed(.success(snapshot), at: model.now.addingTimeInterval(seconds), from: id, started: started))
    }

    @Test func thePreviewOpensOnceEveryBalancerHasBeenReadAgain() throws {
        var model = try Self.afterADrain()
        ConsoleFixtures.press([.char("d")], &model)
        #expect(model.dialog == nil)
        #expect(model.pendingFleetAction?.action == .drain)
        #expect(model.message?.text.contains("reading lb1, lb2 again after the last action") == true)
        _ = try Self.read("lb1", after: 0.4, &model)
        #expect(model.dialog == nil, "lb2 has not been read since the drain's result")
        _ = try Self.read("lb2", after: 0.2, &model)
        guard case .fleet(let proposal, _) = model.dialog else {
            Issue.record("no fleet preview after both reads: \(String(describing: model.dialog))")
            return
        }
        #expect(proposal.blocking.isEmpty && proposal.taking.map(\.label) == ["lb1", "lb2"])
        #expect(model.pendingFleetAction == nil)
    }

    @Test func aKeyMeanwhileCancelsItAndNoPreviewOpensByItself() throws {
        var model = try Self.afterADrain()
        ConsoleFixtures.press([.char("d")], &model)
        #expect(model.pendingFleetAction != nil)
        ConsoleFixtures.press([.down], &model)
        #expect(model.pendingFleetAction == nil)
        _ = try Self.read("lb1", after: 0.4, &model)
        _ = try Self.read("lb2", after: 0.2, &model)
        #expect(model.dialog == nil)
    }

    @Test func aBalancerThatDoesNotAnswerIsNamedInThePreviewAfterTheWait() throws {
        var model = try Self.afterADrain()
        ConsoleFixtures.press([.char("d")], &model)
        let asked = try #require(model.pendingFleetAction?.since)
        _ = ConsoleUpdate.update(&model, .tick(model.now.addingTimeInterval(PendingFleetAction.patience / 2)))
        #expect(model.dialog == nil)
        _ = try Self.read("lb1", after: PendingFleetAction.patience / 2 - 0.5, &model)  // lb1 answers, lb2 never
        #expect(model.dialog == nil)
        _ = ConsoleUpdate.update(&model, .tick(asked.addingTimeInterval(PendingFleetAction.patience)))
        guard case .fleet(let proposal, _) = model.dialog else {
            Issue.record(
                "no fleet preview after the wait: \(String(describing: model.dialog)) \(model.message?.text ?? "")")
            return
        }
        #expect(proposal.blocking.map(\.label) == ["lb2"])  // STALE by now: not read for two intervals
        #expect(proposal.blocking.first?.problem?.contains("STALE") == true, "\(proposal.blocking)")
        #expect(proposal.taking.map(\.label) == ["lb1"] && model.pendingFleetAction == nil)
    }
}
