/// A one-row chart of recent values (`▁▂▃▄▅▆▇█`, or `_.-=#` in ASCII), newest on the right, scaled to
/// the largest value shown (or to ``maximum`` when given).
public struct Sparkline: Hashable, Sendable {
    /// The values, oldest first; only the last `area.width` are drawn.
    public var values: [Double]
    /// The value drawn as a full cell; nil scales to the largest value shown.
    public var maximum: Double?
    /// Style of the marks.
    public var style: Style
    /// Unicode or ASCII.
    public var glyphs: GlyphSet

    /// Makes a sparkline.
    public init(values: [Double], maximum: Double? = nil, style: Style = .plain, glyphs: GlyphSet = .unicode) {
        self.values = values
        self.maximum = maximum
        self.style = style
        self.glyphs = glyphs
    }

    static let unicodeMarks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiMarks: [Character] = ["_", ".", "-", "=", "#"]

    /// Draws on the first row of `area`, right-aligned; nothing for an empty area.
    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let shown = values.suffix(area.width).map { $0.isFinite ? max(0, $0) : 0 }
        let top = maximum ?? shown.max() ?? 0
        let marks = glyphs == .unicode ? Self.unicodeMarks : Self.asciiMarks
        let start = area.right - shown.count
        for (offset, value) in shown.enumerated() {
            let level = top > 0 ? min(marks.count - 1, Int((value / top) * Double(marks.count - 1) + 0.5)) : 0
            let symbol: Character = value == 0 && glyphs == .unicode ? " " : marks[level]
            buffer.set(start + offset, area.y, Cell(symbol, style: style))
        }
    }
}
