import SwitchboardCore
import TerminalUI

/// Styles for states and chrome; everything plain (but bold/reverse) when colour is off (`NO_COLOR`).
struct Theme {
    let color: Bool

    func fg(_ color: Color) -> Style { self.color ? Style(foreground: color) : .plain }

    var title: Style { Style(bold: true) }
    var dim: Style { color ? Style(foreground: .gray) : Style(dim: true) }
    var columnTitles: Style { Style(reverse: true) }
    var selection: Style { Style(reverse: true) }
    var error: Style { color ? Style(foreground: .red, bold: true) : Style(bold: true) }
    var warning: Style { color ? Style(foreground: .yellow, bold: true) : Style(bold: true) }
    var good: Style { fg(.green) }

    func badge(_ level: AccessLevel) -> Style {
        guard color else { return Style(bold: true, reverse: level == .admin) }
        switch level {
        case .admin: return Style(foreground: .white, background: .red, bold: true)
        case .operator: return Style(foreground: .black, background: .yellow, bold: true)
        case .user: return Style(bold: true, reverse: true)
        }
    }

    /// UP green, DOWN red, DRAIN/NOLB yellow, MAINT blue, transitions yellow and bold.
    func state(_ server: Server) -> Style { state(server.status, health: server.health) }

    /// The style of a status with its health (for cells that have no whole server at hand).
    func state(_ status: ServerStatus, health: Health) -> Style {
        var style: Style
        switch status.kind {
        case .up: style = fg(.green)
        case .down: style = fg(.red)
        case .drain, .nolb: style = fg(.yellow)
        case .maint: style = fg(.blue)
        case .noCheck, .other: style = .plain
        }
        if status.progress != nil {
            style = fg(.yellow)
            style.bold = true
        }
        if health == .down && status.kind != .maint { style.bold = true }
        return style
    }

    func backendState(_ backend: Backend) -> Style {
        if backend.status.hasPrefix("DOWN") || (backend.activeUp == 0 && backend.backupUp == 0) { return error }
        if backend.runsOnBackups { return warning }
        return fg(.green)
    }

    func load(_ ratio: Double) -> Style {
        ratio >= 0.9 ? fg(.red) : ratio >= 0.7 ? fg(.yellow) : fg(.green)
    }
}
