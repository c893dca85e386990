import FoundationEssentials
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
