import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// The drill dialog's lines: what the drill takes out, who must take the traffic, how it ends; and its report.
enum DrillDialogLines {
    typealias Line = DialogPane.Line

    static func form(_ form: DrillForm, model: ConsoleModel, theme: Theme) -> [Line] {
        var lines: [Line] = []
        let backend = model.snapshot?.backend(named: form.backend)
        let injections = DrillSpec.Injection.allCases.map { $0 == form.injection ? "[\($0.rawValue)]" : $0.rawValue }
        lines.append(("inject    " + injections.joined(separator: " "), Style(bold: true)))
        switch Result(catching: { try backend.map { try form.spec.injected(in: $0) } ?? [] }) {
        case .success(let targets):
            lines.append(("on        " + targets.map(\.description).joined(separator: ", "), .plain))
        case .failure(let error):
            lines.append(("✗ " + ((error as? SwitchboardError)?.message ?? "\(error)"), theme.error))
        }
        let takers =
            form.expect == .backups
            ? (backend?.backupServers.map(\.name) ?? []) : ["the active servers left in"]
        lines.append(
            (
                "expect    \(form.expect.rawValue) (\(takers.joined(separator: ", "))) take ≥ 95 % of new sessions "
                    + "within \(form.withinSeconds) s", .plain
            ))
        lines.append(("lasts     \(form.withinSeconds + 10) s at most; aborts on no server for 5 s", .plain))
        lines.append(
            (
                "restores exactly the states before, verified, on every way out (also q, Ctrl-C, a lost socket)",
                .plain
            ))
        if let warning = backend?.backupServers.first(where: { !$0.isServing }), form.expect == .backups {
            lines.append(("⚠ \(warning.id) is \(warning.status.text), not serving", theme.warning))
        }
        lines.append(("", .plain))
        lines.append(("same as: \(form.commandLine)", theme.dim))
        lines.append(("", .plain))
        lines.append(("type \(form.backend) to run it: \(form.typed)█", Style(bold: true)))
        lines.append(("Tab injection · + / - time · Enter run · Esc cancel", Style(bold: true)))
        return lines
    }

    static func report(_ report: DrillReport, theme: Theme) -> [Line] {
        var lines: [Line] = []
        let style = report.exitCode == 0 ? theme.good : theme.error
        lines.append(
            (
                "\(report.result.rawValue.uppercased()) — \(report.spec.injection.rawValue) on "
                    + (report.injected.isEmpty ? "nothing" : report.injected.joined(separator: ", ")), style
            ))
        if let reason = report.abortReason { lines.append(("aborted: \(reason)", theme.error)) }
        lines.append(
            (
                "traffic shifted after \(DrillReport.seconds(report.shiftedSeconds)) · first session "
                    + "\(DrillReport.seconds(report.firstSessionSeconds)) · \(report.totalSessions) new sessions, "
                    + "\(report.errorsServed) 5xx", .plain
            ))
        lines.append(
            report.restored
                ? ("restored: every pre-drill state, verified", theme.good)
                : (
                    "NOT RESTORED: \(report.leftToRestore.joined(separator: "; ")) — finish with "
                        + (report.finishWith ?? "switchboard failback \(report.spec.backend)"), theme.error
                ))
        lines.append(("", .plain))
        for hypothesis in report.hypotheses {
            lines.append(
                (
                    "\(hypothesis.held ? "✓" : "✗") \(hypothesis.phase.padded(to: 6)) "
                        + "\(hypothesis.statement): \(hypothesis.measured)", hypothesis.held ? .plain : theme.error
                ))
        }
        lines.append(("", .plain))
        lines.append(("in the audit log (l); any key closes", Style(bold: true)))
        return lines
    }
}
