import SwitchboardCore
import TerminalUI

/// The routes view's dialogs: the target backend typed (with the backends and what each can serve), and the
/// previewed route change (entries before → after, the target's readiness, the commands).
enum RouteDialogLines {
    typealias Line = DialogPane.Line

    static func target(_ input: RouteTargetInput, model: ConsoleModel, theme: Theme) -> [Line] {
        var lines: [Line] = []
        switch input.purpose {
        case .set(let line): lines.append(("\(line.key) routes to \(line.value) now (\(line.map))", .plain))
        case .failover(let from): lines.append(("every map entry routing to \(from) moves, in one step", .plain))
        }
        lines.append(("backend: \(input.text)█", Style(bold: true)))
        if let error = input.error { lines.append(("✗ \(error)", theme.error)) }
        lines.append(("", .plain))
        let candidates = (model.snapshot?.backends ?? []).filter { input.text.isEmpty || $0.name.hasPrefix(input.text) }
        for backend in candidates.prefix(8) {
            if let readiness = model.snapshot.flatMap({ BackendReadiness(backend.name, in: $0) }) {
                lines.append(("  \(readiness)", readiness.serving == 0 ? theme.error : .plain))
            }
        }
        lines.append(("", .plain))
        lines.append(("Tab completes · Enter preview · Esc cancel", Style(bold: true)))
        return lines
    }

    static func confirm(_ plan: RoutePlan, typed: String, theme: Theme) -> [Line] {
        var lines: [Line] = []
        let width = plan.changes.map(\.key.count).max() ?? 0
        for change in plan.changes {
            let key = change.key.padded(to: width)
            lines.append(
                ("route   \(key)  \(change.before ?? "(none)") → \(change.after ?? "(removed)")", Style(bold: true)))
        }
        for target in plan.targets {
            lines.append(("target  \(target)", target.serving == 0 ? theme.error : .plain))
        }
        for warning in plan.warnings { lines.append(("WARNING \(warning)", theme.warning)) }
        for command in (try? plan.commands()) ?? [] { lines.append(("send    \(command.line)", theme.dim)) }
        lines.append(("note    runtime map changes are lost on reload unless the map file is updated too", theme.dim))
        lines.append(("", .plain))
        if let name = plan.typedConfirmation {
            lines.append(("\(name) has NO server serving. Type its name to route there anyway: \(typed)█", theme.error))
            lines.append(("Enter confirm · Esc cancel", Style(bold: true)))
        } else {
            lines.append(("y/Enter send · n/Esc cancel", Style(bold: true)))
        }
        return lines
    }
}
