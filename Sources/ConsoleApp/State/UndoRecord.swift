import SwitchboardCore

/// What undo needs of the last action: the servers' states before it, and the states it left them in
/// (a server no longer as the action left it was changed by someone else since, and undo leaves it alone).
public struct UndoRecord: Sendable, Hashable {
    /// The states before the action.
    public var before: [ActionPlan.ServerState]
    /// The states observed after it.
    public var after: [ActionPlan.ServerState]

    /// Makes a record.
    public init(before: [ActionPlan.ServerState], after: [ActionPlan.ServerState]) {
        self.before = before
        self.after = after
    }
}
