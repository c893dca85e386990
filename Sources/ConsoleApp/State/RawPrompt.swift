/// The raw Runtime API prompt (`!`, or `:raw` in the palette): the line being typed, the lines typed before, and the transcript.
public struct RawPrompt: Hashable, Sendable {
    /// The line being typed, when the prompt is open.
    public var input: String?
    /// Lines typed, oldest first (for Up/Down).
    public var history: [String] = []
    /// Position in ``history`` while browsing it.
    public var historyIndex: Int?
    /// Commands and replies, oldest first (the last 5,000 lines).
    public var transcript: [String] = []

    /// A closed prompt with nothing typed.
    public init() {}

    /// True while the prompt is open.
    public var isOpen: Bool { input != nil }
}
