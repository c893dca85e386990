import TerminalUI

/// The console's colours, by role: what a theme file (`Themes/*.toml`) sets. With colours off (`NO_COLOR`) none of
/// it is used — only bold, dim and reverse.
public struct Palette: Hashable, Sendable {
    /// What a style is for.
    public enum Role: String, CaseIterable, Hashable, Sendable {
        /// A server UP.
        case up
        /// A server DOWN.
        case down
        /// A server in DRAIN or NOLB.
        case drain
        /// A server in MAINT.
        case maint
        /// A server in a transition (`UP 1/2`).
        case transition
        /// Something healthy (a backend UP, a verified result).
        case good
        /// Errors, critical events, a backend with no server.
        case error
        /// Warnings, a backend on its backups.
        case warning
        /// De-emphasised text.
        case dim
        /// A load bar below 70 %.
        case loadLow = "load-low"
        /// A load bar from 70 %.
        case loadMedium = "load-medium"
        /// A load bar from 90 %.
        case loadHigh = "load-high"
        /// The `ADMIN` badge.
        case badgeAdmin = "badge-admin"
        /// The `OPERATOR` badge.
        case badgeOperator = "badge-operator"
        /// The row of column titles.
        case columnTitles = "column-titles"
        /// The selected row.
        case selection
        /// Sparklines and graphs of history.
        case sparkline
    }

    /// The theme's name.
    public var name: String
    /// The style of each role.
    public var styles: [Role: Style]

    /// Makes a palette; roles not given take the default's style.
    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = Palette.standardStyles.merging(styles) { _, given in given }
    }

    /// The style of `role`.
    public subscript(role: Role) -> Style { styles[role] ?? Palette.standardStyles[role] ?? .plain }

    /// The built-in default (`Themes/default.toml` says the same; a test checks it).
    public static let standard = Palette(name: "default", styles: [:])

    static let standardStyles: [Role: Style] = [
        .up: Style(foreground: .green), .down: Style(foreground: .red), .drain: Style(foreground: .yellow),
        .maint: Style(foreground: .blue), .transition: Style(foreground: .yellow, bold: true),
        .good: Style(foreground: .green), .error: Style(foreground: .red, bold: true),
        .warning: Style(foreground: .yellow, bold: true), .dim: Style(foreground: .gray),
        .loadLow: Style(foreground: .green), .loadMedium: Style(foreground: .yellow),
        .loadHigh: Style(foreground: .red),
        .badgeAdmin: Style(foreground: .white, background: .red, bold: true),
        .badgeOperator: Style(foreground: .black, background: .yellow, bold: true),
        .columnTitles: Style(reverse: true), .selection: Style(reverse: true), .sparkline: Style(foreground: .cyan),
    ]
}
