import SwitchboardCore
import SwitchboardOps

/// A fail back the console is carrying out.
public struct FailbackProgress: Hashable, Sendable {
    /// The failover record the fail back was planned from.
    public var record: FailoverStore.Record?
    /// A gradual fail back: the plans still to send, one server each.
    public var queue: [ActionPlan] = []
    /// The server the gradual fail back waits for before the next step.
    public var waiting: FailbackWait?

    /// No fail back in progress.
    public init() {}
}
