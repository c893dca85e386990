import SwitchboardCore
import TerminalUI

/// Styles for states and chrome, from the palette of the theme picked (`--theme`); everything plain (but
/// bold/dim/reverse) when colour is off (`NO_COLOR` wins over any theme).
struct Theme {
    let color: Bool
    var palette: Palette = .standard

    func fg(_ color: Color) -> Style { self.color ? Style(foreground: color) : .plain }

    /// The palette's style for `role` with colour on; `plain` (its attributes only where they carry meaning) off.
    func role(_ role: Palette.Role, otherwise plain: Style = .plain) -> Style { color ? palette[role] : plain }

    var title: Style { Style(bold: true) }
    var dim: Style { role(.dim, otherwise: Style(dim: true)) }
    var columnTitles: Style { role(.columnTitles, otherwise: Style(reverse: true)) }
    var selection: Style { role(.selection, otherwise: Style(reverse: true)) }
    var error: Style { role(.error, otherwise: Style(bold: true)) }
    var warning: Style { role(.warning, otherwise: Style(bold: true)) }
    var good: Style { role(.good) }

    func badge(_ level: AccessLevel) -> Style {
        guard color else { return Style(bold: true, reverse: level == .admin) }
        switch level {
        case .admin: return palette[.badgeAdmin]
        case .operator: return palette[.badgeOperator]
        case .user: return Style(bold: true, reverse: true)
        }
    }

    /// UP green, DOWN red, DRAIN/NOLB yellow, MAINT blue, transitions yellow and bold.
    func state(_ server: Server) -> Style { state(server.status, health: server.health) }

    /// The style of a status with its health (for cells that have no whole server at hand).
    func state(_ status: ServerStatus, health: Health) -> Style {
        var style: Style
        switch status.kind {
        case .up: style = role(.up)
        case .down: style = role(.down)
        case .drain, .nolb: style = role(.drain)
        case .maint: style = role(.maint)
        case .noCheck, .other: style = .plain
        }
        if status.progress != nil {
            style = role(.transition)
            style.bold = true
        }
        if health == .down && status.kind != .maint { style.bold = true }
        return style
    }

    func backendState(_ backend: Backend) -> Style {
        if backend.status.hasPrefix("DOWN") || (backend.activeUp == 0 && backend.backupUp == 0) { return error }
        if backend.runsOnBackups { return warning }
        return role(.good)
    }

    func load(_ ratio: Double) -> Style {
        ratio >= 0.9 ? role(.loadHigh) : ratio >= 0.7 ? role(.loadMedium) : role(.loadLow)
    }
}
