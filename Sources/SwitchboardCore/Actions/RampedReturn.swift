/// A return to service in weight steps (`--ramp 25,50,100`): putting a whole pool — or a whole fleet — back at
/// full weight at once is a documented cause of a second overload. For a restore (fail back, undo) the
/// servers that come back into rotation start at the first percentage of the weight they are restored to and
/// step up to it; every other part of the restore (admin states, checks, agents, servers that stay DRAIN or
/// MAINT) is sent at the first step, unchanged.
public struct RampedReturn: Sendable, Hashable {
    /// The percentages, ascending, ending at 100.
    public let percents: [Int]

    /// Parses `25,50,100`: percentages 1–100, ascending, ending at 100.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let values = parts.compactMap { Int($0.trimmingSpaces()) }
        guard values.count == parts.count, !values.isEmpty, values.allSatisfy({ (1...100).contains($0) }) else {
            throw SwitchboardError(
                .invalidValue, "--ramp takes percentages 1–100 separated by commas, e.g. 25,50,100")
        }
        guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }), values.last == 100 else {
            throw SwitchboardError(.invalidValue, "--ramp must go up and end at 100, e.g. 25,50,100 (got \(text))")
        }
        percents = values
    }

    /// `percent` % of `weight`, as HAProxy computes `weight N%` (integer), never below 1 for a non-zero weight.
    public static func weight(_ weight: Int, percent: Int) -> Int {
        weight == 0 ? 0 : max(1, weight * percent / 100)
    }

    /// The servers of `recorded` that ramp: restored to READY with a weight above 0 and coming back into
    /// rotation (in DRAIN or MAINT now, forced down, or at weight 0). A server already serving is not ramped:
    /// its first step would lower the weight it serves at.
    public static func returning(_ recorded: [ActionPlan.ServerState], on snapshot: BalancerSnapshot) -> Set<ServerID> {
        Set(
            recorded.compactMap { state -> ServerID? in
                guard state.admin == .ready, state.weight > 0, let server = snapshot.server(state.server) else {
                    return nil
                }
                let serving = server.admin.mode == .ready && server.weight > 0 && server.health != .down
                return serving ? nil : state.server
            })
    }

    /// `recorded` with the returning servers' weight at `percent` of their recorded weight: what step
    /// `percent` restores. At 100 it is `recorded` itself.
    public static func states(_ recorded: [ActionPlan.ServerState], returning: Set<ServerID>, percent: Int)
        -> [ActionPlan.ServerState]
    {
        recorded.map { state in
            guard returning.contains(state.server) else { return state }
            var scaled = state
            scaled.weight = weight(state.weight, percent: percent)
            return scaled
        }
    }

    /// The plan of the step after the first: only the returning servers' weights, from `previous` % to
    /// `percent` %, compare-and-set against what the previous step left (a server someone changed in between
    /// is left alone and named). Nil when there is nothing to send.
    public static func step(
        _ recorded: [ActionPlan.ServerState], returning: Set<ServerID>, from previous: Int, to percent: Int,
        label: String, on snapshot: BalancerSnapshot
    ) throws -> ActionPlan? {
        let ramping = recorded.filter { returning.contains($0.server) }
        guard !ramping.isEmpty else { return nil }
        var plan = try ActionPlanner.undo(
            states(ramping, returning: returning, percent: percent),
            leftAs: states(ramping, returning: returning, percent: previous), on: snapshot)
        guard !plan.steps.isEmpty else { return nil }
        plan.label = "\(label): weight \(percent)%"
        return plan
    }

    /// The first step of ramping a confirmed `plan` back (ready, undo, a fail back): the same plan, but the
    /// returning servers' weight set first, to `percent` of what the plan leaves them at (`targets`); capacity
    /// and basis projected anew on `snapshot`.
    public static func firstStep(
        _ plan: ActionPlan, targets: [ActionPlan.ServerState], returning: Set<ServerID>, percent: Int,
        on snapshot: BalancerSnapshot
    ) throws -> ActionPlan {
        var first = plan
        first.steps.removeAll { step in
            if case .setWeight(let ref, _) = step { return returning.contains(ref.id) }
            return false
        }
        first.expectations.removeAll { expectation in
            if case .weight(let id, _) = expectation { return returning.contains(id) }
            return false
        }
        var weights: [ServerAction] = []
        for state in targets where returning.contains(state.server) {
            let weight = weight(state.weight, percent: percent)
            weights.append(.setWeight(try state.server.validated(), try .validatedAbsolute(weight)))
            first.expectations.append(.weight(state.server, weight))
        }
        first.steps = weights + first.steps
        first.label = "\(plan.label), ramped from \(percent)%"
        return ActionPlanner.reproject(first, on: snapshot)
    }
}
