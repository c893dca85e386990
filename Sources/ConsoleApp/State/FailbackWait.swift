import FoundationEssentials
import SwitchboardCore

/// The server a gradual fail back waits for (``ReturnWatch``: UP and picked by the balancer), and until when.
public struct FailbackWait: Hashable, Sendable {
    /// The server and what was seen of it so far.
    public var watch: ReturnWatch
    /// When to give up waiting and send the next step anyway.
    public var deadline: Date

    /// Waits for `server` until `deadline`.
    public init(server: ServerID, deadline: Date) {
        self.watch = ReturnWatch(server: server)
        self.deadline = deadline
    }
}
