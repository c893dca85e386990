/// The `:` command palette: the line being typed, the lines run before, and what to show beside the line
/// (why it could not run, or the candidates Tab found).
public struct PaletteInput: Hashable, Sendable {
    /// The line being typed, when the palette is open.
    public var input: String?
    /// Lines run, oldest first (for Up/Down).
    public var history: [String] = []
    /// Position in ``history`` while browsing it.
    public var historyIndex: Int?
    /// Why the last Enter did not run the line (the line stays open to be corrected).
    public var error: String?
    /// What Tab found when more than one word fits.
    public var candidates: [String] = []

    /// A closed palette.
    public init() {}

    /// True while the palette is open.
    public var isOpen: Bool { input != nil }
}
