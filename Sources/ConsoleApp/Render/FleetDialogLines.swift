import SwitchboardCore
import TerminalUI

/// The fleet dialog's lines: per balancer its plan (or why it cannot take part), the fleet totals and the
/// keys; and the per-node result table after the run.
enum FleetDialogLines {
    typealias Line = DialogPane.Line

    static func proposal(_ proposal: FleetProposal, typed: String, theme: Theme) -> [Line] {
        var lines: [Line] = []
        let targets = proposal.nodes.lazy.compactMap(\.plan).first?.intent.targets ?? []
        lines.append(("\(proposal.label): " + targets.map(\.description).joined(separator: ", "), Style(bold: true)))
        for node in proposal.nodes {
            if proposal.excluded.contains(node.id) {
                lines.append(("\(node.label): left out — nothing is sent there", theme.dim))
                continue
            }
            if let problem = node.problem {
                lines.append(("\(node.label): ✗ cannot take part — \(problem)", theme.error))
                continue
            }
            guard let plan = node.plan, !plan.steps.isEmpty else {
                lines.append(("\(node.label): already as asked", theme.dim))
                continue
            }
            let sends = plan.steps.map { RuntimeCommand(for: $0).line }.joined(separator: "; ")
            lines.append(("\(node.label): \(sends)", .plain))
            for warning in plan.warnings { lines.append(("  ! " + warning, theme.warning)) }
        }
        lines.append(("", .plain))
        for total in proposal.totals {
            lines.append((total, proposal.reducesCapacity ? theme.warning : .plain))
        }
        lines.append(("", .plain))
        if !proposal.blocking.isEmpty {
            lines.append(
                (
                    "\(proposal.blocking.count) balancer(s) cannot take part: nothing is sent anywhere until they are "
                        + "left out", theme.error
                ))
            lines.append(("x leave them out · Esc cancel", Style(bold: true)))
        } else if let name = proposal.requiredName {
            lines.append(("\(name) will have NO active server serving on a balancer.", theme.error))
            lines.append(("Type \(name) and Enter to proceed, Esc to cancel: \(typed)█", Style(bold: true)))
        } else {
            lines.append(
                ("y/Enter apply, all or nothing · k apply and keep partial · n/Esc cancel", Style(bold: true)))
        }
        if proposal.blocking.isEmpty && proposal.requiredName == nil
            && proposal.taking.contains(where: { $0.plan.map(RampProgress.offered) ?? false })
        {
            lines.append(("r apply with the weight ramped back 25→50→100 %, 10 s apart", theme.dim))
        }
        if proposal.blocking.isEmpty && proposal.requiredName == nil
            && !proposal.taking.isEmpty
            && proposal.taking.allSatisfy({ $0.plan?.intent.operation == .setAdmin(.drain) })
        {
            lines.append(("W drain and watch every balancer · T then MAINT when all are empty", theme.dim))
        }
        if proposal.repair != nil {
            lines.append(
                ("1–\(proposal.nodes.count) take that balancer's state instead · m the majority's", theme.dim))
        }
        return lines
    }

    static func result(_ table: FleetResultTable, theme: Theme) -> [Line] {
        var lines: [Line] = [(table.headline, table.succeeded ? theme.good : theme.error)]
        lines.append(("", .plain))
        let width = max(8, table.rows.map(\.label.count).max() ?? 0)
        for row in table.rows {
            let style =
                row.status == "verified" ? theme.good : row.status == "rolled-back" ? theme.warning : theme.error
            lines.append(
                (
                    row.label.padded(to: width + 2) + "\(row.symbol) \(row.status)"
                        + (row.detail.isEmpty ? "" : ": \(row.detail)"), style
                ))
        }
        lines.append(("", .plain))
        lines.append(("intent \(table.intentID) in the audit log · any key closes", theme.dim))
        return lines
    }
}
