import FoundationEssentials
import SwitchboardCore

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
