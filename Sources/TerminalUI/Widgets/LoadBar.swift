/// A horizontal bar filled to a ratio in ⅛-cell steps (`▏▎▍▌▋▊▉█`),
/// or in whole cells of `#` in ASCII.
///
/// ```swift
/// let bar = LoadBar(ratio: 0.37, style: Style(foreground: .green))
/// bar.render(into: &buffer, area: Rect(width: 10, height: 1))  // "███▊      "
/// ```
public struct LoadBar: Hashable, Sendable {
    /// How full, 0…1 (values outside are clamped; NaN is 0).
    public var ratio: Double
    /// Style of the filled part.
    public var style: Style
    /// Style of the empty part.
    public var emptyStyle: Style
    /// Unicode eighths or ASCII.
    public var glyphs: GlyphSet

    /// Makes a bar.
    public init(ratio: Double, style: Style = .plain, emptyStyle: Style = .plain, glyphs: GlyphSet = .unicode) {
        self.ratio = ratio
        self.style = style
        self.emptyStyle = emptyStyle
        self.glyphs = glyphs
    }

    static let eighths: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// Draws the bar on the first row of `area`; nothing for an empty area.
    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let clamped = ratio.isNaN ? 0 : min(1, max(0, ratio))
        let width = area.width
        switch glyphs {
        case .unicode:
            let total = Int((clamped * Double(width * 8)).rounded())
            for column in 0..<width {
                let filled = min(8, max(0, total - column * 8))
                buffer.set(
                    area.x + column, area.y,
                    Cell(Self.eighths[filled], style: filled == 0 ? emptyStyle : style))
            }
        case .ascii:
            let total = Int((clamped * Double(width)).rounded())
            for column in 0..<width {
                buffer.set(
                    area.x + column, area.y, column < total ? Cell("#", style: style) : Cell(" ", style: emptyStyle))
            }
        }
    }
}
