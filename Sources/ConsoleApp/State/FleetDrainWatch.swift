import FoundationEssentials
import SwitchboardCore

/// A fleet-wide drain the console is watching (`W`, or `T` then MAINT, in the fleet dialog): per balancer its
/// own ``SwitchboardCore/DrainTracker`` (sessions left on its worker, a reload, a lost DRAIN); MAINT, when
/// asked, goes to every balancer as one more fleet action once every one of them was observed empty (or at
/// the deadline).
public struct FleetDrainWatch: Hashable, Sendable {
    /// Per balancer, its tracker.
    public var trackers: [BalancerID: DrainTracker]
    /// Per balancer, the sessions left at its last refresh.
    public var remaining: [BalancerID: Int] = [:]
    /// When to stop waiting.
    public var deadline: Date
    /// Put them in MAINT when every balancer's sessions reach 0 (or at the deadline).
    public var thenMaint: Bool
    /// True once the drain verified on every balancer (until then nothing is watched).
    public var started = false

    /// Watches each balancer's `targets` until `deadline`.
    public init(targets: [BalancerID: [ServerRef]], deadline: Date, thenMaint: Bool) {
        trackers = targets.mapValues { DrainTracker(targets: $0) }
        self.deadline = deadline
        self.thenMaint = thenMaint
    }

    /// True when every balancer was observed with no session left.
    public var allEmpty: Bool { trackers.keys.allSatisfy { remaining[$0] == 0 } }
}
