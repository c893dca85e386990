import Foundation
import SwitchboardCore

/// A drain the console is watching.
public struct DrainWatch: Hashable, Sendable {
    /// The drained servers.
    public var targets: [ServerRef]
    /// When to stop waiting.
    public var deadline: Date
    /// Put them in MAINT when their sessions reach 0 (or at the deadline).
    public var thenMaint: Bool
    /// Sessions left at the last refresh.
    public var remaining: Int?
    /// The worker pid the watch started on (set at the first refresh).
    public var pid: Int? = nil
    /// After a reload: the old worker, whose sessions the console cannot see.
    public var oldWorker: Int? = nil
}

/// The server a gradual fail back waits for: UP and picked by the balancer (its `lbtot` above the baseline).
public struct FailbackWait: Hashable, Sendable {
    /// `backend/server`.
    public var server: String
    /// Its `lbtot` when the wait started on this worker (nil until the first refresh).
    public var baseline: Int?
    /// When to give up waiting.
    public var deadline: Date

    /// Makes a wait.
    public init(server: String, baseline: Int?, deadline: Date) {
        self.server = server
        self.baseline = baseline
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
