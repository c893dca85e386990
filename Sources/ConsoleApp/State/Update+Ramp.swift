import FoundationEssentials
import SwitchboardCore

/// Ramped return in the console: `r` in the confirmation of ready, undo or fail back (one balancer or the fleet
/// dialog) sends the plan with the returning servers at 25 % of their weight, then 50 % and 100 % ten seconds
/// apart, each step planned on each balancer's newest state (compare-and-set against the previous step) and
/// verified; a failed step stops the ramp there and says so.
extension ConsoleUpdate {
    /// `r` in a one-balancer confirmation.
    static func startRamp(_ plan: ActionPlan, on id: BalancerID, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard let snapshot = model.index(of: id).flatMap({ model.balancers[$0].snapshot }) else { return [] }
        let targets = RampProgress.states(after: plan, on: snapshot)
        let returning = RampedReturn.returning(targets, on: snapshot)
        guard !returning.isEmpty else {
            return info("nothing to ramp: no server of this plan comes back into rotation — y applies it", &model)
        }
        do {
            let first = try RampedReturn.firstStep(
                plan, targets: targets, returning: returning, percent: RampProgress.percents[0], on: snapshot)
            model.ramp = RampProgress(
                label: plan.label, targets: [id: targets], returning: [id: returning],
                remaining: Array(RampProgress.percents.dropFirst()), sent: RampProgress.percents[0],
                nextAt: .distantFuture)
            return send(first, on: id, &model)
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch { return [] }
    }

    /// `r` in the fleet dialog: every balancer's own plan ramped from its own states.
    static func startFleetRamp(_ proposal: FleetProposal, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        var ramp = RampProgress(
            label: proposal.label, targets: [:], returning: [:], remaining: Array(RampProgress.percents.dropFirst()),
            sent: RampProgress.percents[0], nextAt: .distantFuture)
        var steps: [FleetStep] = []
        do {
            for node in proposal.taking {
                guard let plan = node.plan, let index = model.index(of: node.id),
                    let snapshot = model.balancers[index].snapshot
                else { continue }
                let targets = RampProgress.states(after: plan, on: snapshot)
                let returning = RampedReturn.returning(targets, on: snapshot)
                ramp.targets[node.id] = targets
                ramp.returning[node.id] = returning
                let first =
                    returning.isEmpty
                    ? plan
                    : try RampedReturn.firstStep(
                        plan, targets: targets, returning: returning, percent: ramp.sent, on: snapshot)
                steps.append(FleetStep(id: node.id, label: node.label, plan: first))
            }
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch { return [] }
        guard ramp.returning.values.contains(where: { !$0.isEmpty }) else {
            return info("nothing to ramp: no server of this plan comes back into rotation — y applies it", &model)
        }
        model.ramp = ramp
        model.dialog = nil
        return sendSteps(steps, label: "\(proposal.label), ramped from \(ramp.sent)%", &model)
    }

    /// A step's result arrived: the next one is due after the interval, or the ramp stops on a failure.
    static func rampStepDone(succeeded: Bool, _ model: inout ConsoleModel) {
        guard var ramp = model.ramp, ramp.nextAt == .distantFuture else { return }
        guard succeeded else {
            model.ramp = nil
            model.message = FooterMessage(
                text:
                    "✗ ramp of \(ramp.label) stopped at \(ramp.sent)%: the step did not verify; the weights stay there",
                isError: true, until: model.now.addingTimeInterval(12), isResult: true)
            return
        }
        guard !ramp.remaining.isEmpty else {
            model.ramp = nil
            return
        }
        ramp.nextAt = model.now.addingTimeInterval(RampProgress.interval)
        model.ramp = ramp
    }

    /// On a tick: the next step when it is due and nothing else is being sent.
    static func advanceRamp(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard var ramp = model.ramp, model.now >= ramp.nextAt, model.actionInFlight == nil,
            let percent = ramp.remaining.first
        else { return [] }
        let label = "\(ramp.label): weight \(percent)%"
        var steps: [FleetStep] = []
        do {
            for (id, targets) in ramp.targets.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let index = model.index(of: id), let snapshot = model.balancers[index].snapshot,
                    let plan = try RampedReturn.step(
                        targets, returning: ramp.returning[id] ?? [], from: ramp.sent, to: percent, label: ramp.label,
                        on: snapshot)
                else { continue }
                steps.append(FleetStep(id: id, label: model.balancers[index].profile.label, plan: plan))
            }
        } catch let error as SwitchboardError {
            model.ramp = nil
            return failure(error, &model)
        } catch { return [] }
        ramp.remaining.removeFirst()
        ramp.sent = percent
        ramp.nextAt = .distantFuture  // until this step's result
        model.ramp = ramp
        guard !steps.isEmpty else {
            rampStepDone(succeeded: true, &model)
            return []
        }
        return sendSteps(steps, label: label, &model)
    }
}
