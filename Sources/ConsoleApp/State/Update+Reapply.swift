import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

/// Runtime changes lost on reload, in the console: after a balancer's worker changes, what the audit log says
/// the operator left is compared with the new worker's state; a loss is a critical event naming every change,
/// and one key (`P`) previews, confirms and re-applies them on that balancer.
extension ConsoleUpdate {
    /// What the audit log's comparison found for a balancer.
    static func lostChangesFound(_ lost: [LostChange], on id: BalancerID, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        guard let index = model.index(of: id), let snapshot = model.balancers[index].snapshot else { return [] }
        guard !lost.isEmpty else {
            model.lostChanges[id] = nil
            return []
        }
        model.lostChanges[id] = lost
        let label = model.balancers[index].profile.label
        let key = model.keymap.keys(for: .reapply).first?.description ?? "P"
        var event = BalancerEvent(
            time: model.now, severity: .critical, kind: .reloaded, backend: lost[0].recorded.server.backend,
            message: LostChanges.summary(lost, balancer: label, pid: snapshot.info.pid) + " — press \(key) to re-apply")
        if model.balancers.count > 1 { event.balancer = label }
        return noteEvents([event], &model)
    }

    /// `P`: the re-apply plan for the balancer in view whose reload undid changes.
    static func proposeReapply(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        let candidates = model.focusedIndices.filter { !(model.lostChanges[model.balancers[$0].id] ?? []).isEmpty }
        guard let index = candidates.first, let snapshot = model.balancers[index].snapshot else {
            return info("no manual change was lost by a reload (the audit log and the balancers agree)", &model)
        }
        let id = model.balancers[index].id
        do {
            var plan = try ActionPlanner.undo((model.lostChanges[id] ?? []).map(\.recorded), on: snapshot)
            guard !plan.steps.isEmpty else {
                model.lostChanges[id] = nil
                return info("nothing to re-apply: the servers are already as the operator left them", &model)
            }
            plan.label = "reapply after reload"
            plan.kind = .reapply
            model.dialog = .reapply(plan, on: id)
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch {}
        return []
    }

    /// Keys in the re-apply dialog.
    static func reapplyKey(_ key: Key, plan: ActionPlan, on id: BalancerID, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        switch key {
        case .enter, .char("y"):
            return send(plan, on: id, &model)  // the loss is forgotten once the re-apply verified
        case .char("n"):
            model.dialog = nil
            return info("cancelled; nothing was sent", &model)
        default: return []
        }
    }
}
