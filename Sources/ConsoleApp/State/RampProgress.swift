import FoundationEssentials
import SwitchboardCore

/// A ramped return in progress in the console (`r` in the confirmation of ready, undo or fail back): the
/// servers coming back into rotation got the first percentage of their weight, and every `interval` the next
/// step is planned on each balancer's newest state (``SwitchboardCore/RampedReturn``) and sent, until 100 %.
public struct RampProgress: Hashable, Sendable {
    /// The percentages, ascending, ending at 100 (``RampedReturn``).
    public static let percents = [25, 50, 100]
    /// The pause between two steps.
    public static let interval: TimeInterval = 10

    /// What is ramped (`ready`, `undo`, `failback be_web`).
    public var label: String
    /// Per balancer, the servers' states at 100 %: what the confirmed plan leaves them in.
    public var targets: [BalancerID: [ActionPlan.ServerState]]
    /// Per balancer, the servers that come back into rotation and ramp.
    public var returning: [BalancerID: Set<ServerID>]
    /// The percentages still to send.
    public var remaining: [Int]
    /// The last percentage sent.
    public var sent: Int
    /// When the next step is due.
    public var nextAt: Date

    /// True when `plan` can be ramped: ready, undo or a whole fail back.
    public static func offered(_ plan: ActionPlan) -> Bool {
        plan.kind == .undo || plan.kind == .failback || plan.intent.operation == .setAdmin(.ready)
    }

    /// What `plan` leaves its servers in: their state now with its expected admin states and weights.
    public static func states(after plan: ActionPlan, on snapshot: BalancerSnapshot) -> [ActionPlan.ServerState] {
        plan.intent.targets.compactMap { ref -> ActionPlan.ServerState? in
            guard let server = snapshot.server(ref) else { return nil }
            var state = ActionPlan.ServerState(server)
            for expectation in plan.expectations {
                switch expectation {
                case .admin(let id, let mode) where id == state.server: state.admin = mode
                case .weight(let id, let weight) where id == state.server: state.weight = weight
                default: break
                }
            }
            return state
        }
    }
}
