import Foundation
import SwitchboardCore
import SwitchboardOps

/// Fleet-wide actions in the fleet view: one intent planned on every balancer in focus, previewed per node
/// with the fleet totals, run all or nothing (or "keep partial"), and the per-node result shown.
extension ConsoleUpdate {
    /// Actions that act on one balancer only so far; refused in the fleet view with the way to focus one.
    static func fleetUnsupported(_ action: Action, _ model: ConsoleModel) -> String? {
        guard model.isFleetView else { return nil }
        switch action {
        case .undo, .failover, .failback, .redistribute, .markEverywhere:
            return "\(action.rawValue) acts on one balancer so far — press "
                + "\(model.keymap.keys(for: .focus).first?.description ?? "b") or type :target NAME to focus one"
        default: return nil
        }
    }

    /// Opens the fleet dialog for `intent` on every balancer in focus.
    static func proposeFleet(_ intent: ActionIntent, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        let proposal = FleetProposal.make(intent, label: intent.operation.verb, in: model)
        guard proposal.nodes.contains(where: { $0.problem == nil }) else {
            return info(
                "no balancer in view can take this: "
                    + proposal.nodes.map { "\($0.label) \($0.problem ?? "")" }.joined(separator: "; "), &model)
        }
        model.dialog = .fleet(proposal, typed: "")
        return []
    }

    /// Keys in the fleet dialog: `x` leaves out the balancers that cannot take part, `y`/Enter runs all or
    /// nothing, `k` runs keeping what applies even if a balancer fails, the typed name when a backend would be
    /// left with no active server.
    static func fleetKey(_ key: Key, proposal: FleetProposal, typed: String, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        if !proposal.blocking.isEmpty {
            switch key {
            case .char("x"):
                var kept = proposal
                kept.excluded.formUnion(proposal.blocking.map(\.id))
                guard !kept.taking.isEmpty else {
                    model.dialog = nil
                    return info("nothing left to act on: no balancer in view can take this; nothing was sent", &model)
                }
                model.dialog = .fleet(kept, typed: typed)
            case .enter, .char("y"), .char("k"):
                return info(
                    "\(proposal.blocking.count) balancer(s) cannot take part: x leaves them out, Esc cancels", &model)
            default: break
            }
            return []
        }
        if let name = proposal.requiredName {
            switch key {
            case .enter:
                guard typed == name else { return info("type \(name) exactly to confirm, or Esc to cancel", &model) }
                return sendFleet(proposal, rollback: true, &model)
            default:
                if let edited = TextInput.name.edited(typed, by: key) { model.dialog = .fleet(proposal, typed: edited) }
            }
            return []
        }
        switch key {
        case .enter, .char("y"): return sendFleet(proposal, rollback: true, &model)
        case .char("k"): return sendFleet(proposal, rollback: false, &model)
        case .char("n"):
            model.dialog = nil
            return info("cancelled; nothing was sent", &model)
        default: return []
        }
    }

    static func sendFleet(_ proposal: FleetProposal, rollback: Bool, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        let steps = proposal.taking.compactMap { node in
            node.plan.map { FleetStep(id: node.id, label: node.label, plan: $0) }
        }
        guard !steps.isEmpty else {
            model.dialog = nil
            return info("nothing to send: every balancer is already as asked", &model)
        }
        model.dialog = nil
        model.actionInFlight = proposal.label
        model.message = FooterMessage(
            text: "\(proposal.label) on \(steps.count) balancers: sending and verifying…", isError: false,
            until: model.now.addingTimeInterval(30))
        return [.performFleet(steps, label: proposal.label, rollback: rollback)]
    }

    /// A fleet-wide action finished: the per-node table, an event per node, everything refreshed.
    static func fleetPerformed(_ report: FleetExecutor.Report, label: String, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        model.actionInFlight = nil
        let table = FleetResultTable(report, label: label)
        model.dialog = .fleetResult(table)
        model.message = FooterMessage(
            text: table.headline, isError: !table.succeeded, until: model.now.addingTimeInterval(10), isResult: true)
        model.marked = []
        model.refreshAllNow()
        let events = table.rows.map { row in
            var event = BalancerEvent(
                time: model.now, severity: row.status == "verified" ? .info : .warning, kind: .operatorAction,
                backend: "",
                message: "\(row.symbol) \(label) \(row.status)" + (row.detail.isEmpty ? "" : ": \(row.detail)"))
            event.balancer = row.label
            return event
        }
        model.events.append(contentsOf: events)
        return [.recordEvents(events)]
    }
}
