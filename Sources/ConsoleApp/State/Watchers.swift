import Foundation
import SwitchboardCore

/// A drain the console is watching (``DrainTracker``: sessions left, reloads, a lost DRAIN).
public struct DrainWatch: Hashable, Sendable {
    /// The drained servers and what was seen of them.
    public var tracker: DrainTracker
    /// When to stop waiting.
    public var deadline: Date
    /// Put them in MAINT when their sessions reach 0 (or at the deadline).
    public var thenMaint: Bool
    /// Sessions left at the last refresh.
    public var remaining: Int?

    /// Watches `targets` until `deadline`.
    public init(targets: [ServerRef], deadline: Date, thenMaint: Bool) {
        tracker = DrainTracker(targets: targets)
        self.deadline = deadline
        self.thenMaint = thenMaint
    }

    /// The drained servers.
    public var targets: [ServerRef] { tracker.targets }
}

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

/// The observed split of new sessions after a redistribution, against the plan.
public struct SplitWatch: Hashable, Sendable {
    /// The backend.
    public var backend: String
    /// Planned share per server (0…1).
    public var planned: [String: Double]
    /// `lbtot` per server when the plan was applied (nil until the first refresh after it).
    public var baseline: [String: Int]?
    /// Observed share per server since then (0…1), with the number of sessions counted.
    public var observed: [String: Double] = [:]
    /// Sessions counted so far.
    public var counted = 0
    /// When to stop showing it.
    public var until: Date
}
