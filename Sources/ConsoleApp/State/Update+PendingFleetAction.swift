import FoundationEssentials
import SwitchboardCore

/// A fleet action asked for right after the last one's result, while some balancer in view is still being read
/// again: instead of a preview that shows those balancers as unable to take part, the console waits for their
/// reads (at most `PendingFleetAction.patience`) and then plans on every balancer's newest state.
public struct PendingFleetAction: Hashable, Sendable {
    /// The action asked for.
    public var action: Action
    /// The servers it names, when it named them (the palette); otherwise the selection, as a key.
    public var explicit: [ServerRef]?
    /// When it was asked for.
    public var since: Date

    /// How long the console waits for the reads before it opens the preview anyway (it then names the
    /// balancers that have not answered).
    public static let patience: TimeInterval = 10
}

extension ConsoleUpdate {
    /// In the fleet view, when some balancer in view has not been read since the last action's result, keeps
    /// `action` pending until it has. Returns true when the action waits.
    static func waitForReadsAfterAction(_ action: Action, explicit: [ServerRef]?, _ model: inout ConsoleModel) -> Bool {
        guard model.isFleetView else { return false }
        let waiting = model.focusedIndices.filter { model.balancers[$0].awaitsReadAfterAction }
        guard !waiting.isEmpty else { return false }
        model.pendingFleetAction = PendingFleetAction(action: action, explicit: explicit, since: model.now)
        let labels = waiting.map { model.balancers[$0].profile.label }.joined(separator: ", ")
        model.message = FooterMessage(
            text: "\(action.rawValue): reading \(labels) again after the last action — the preview opens when "
                + "they have answered (any key cancels)",
            isError: false, until: model.now.addingTimeInterval(PendingFleetAction.patience))
        return true
    }

    /// Plans the pending fleet action once every balancer in view has been read since the last action, or
    /// when the wait has lasted `PendingFleetAction.patience` (the preview then shows who has not answered).
    static func resumePendingFleetAction(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard let pending = model.pendingFleetAction, model.dialog == nil else { return [] }
        let waiting = model.focusedIndices.contains { model.balancers[$0].awaitsReadAfterAction }
        guard !waiting || model.now.timeIntervalSince(pending.since) >= PendingFleetAction.patience else { return [] }
        model.pendingFleetAction = nil
        model.message = nil
        return performWrite(pending.action, explicit: pending.explicit, waitForReads: false, &model)
    }
}

extension Key {
    /// True for what cancels a pending fleet action: any key or click; not a mouse button's release (a click
    /// on a footer hint may have asked for the action) nor the wheel.
    var cancelsPendingAction: Bool {
        guard case .mouse(let event) = self else { return true }
        return event.kind == .press
    }
}
