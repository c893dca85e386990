/// A bordered box with a title on the top edge; clears its inside.
public struct Frame: Hashable, Sendable {
    /// The title, drawn on the top border.
    public var title: String
    /// Border style.
    public var style: Style
    /// Unicode box drawing or ASCII.
    public var glyphs: GlyphSet

    /// Makes a frame.
    public init(title: String = "", style: Style = .plain, glyphs: GlyphSet = .unicode) {
        self.title = title
        self.style = style
        self.glyphs = glyphs
    }

    /// The area inside the border.
    public static func inner(_ area: Rect) -> Rect {
        Rect(x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    }

    /// Draws the frame; areas smaller than 2×2 are only cleared.
    public func render(into buffer: inout Buffer, area: Rect) {
        buffer.fill(area)
        guard area.width >= 2, area.height >= 2 else { return }
        let (h, v, tl, tr, bl, br): (Character, Character, Character, Character, Character, Character) =
            glyphs == .unicode ? ("─", "│", "┌", "┐", "└", "┘") : ("-", "|", "+", "+", "+", "+")
        for x in area.x..<area.right {
            buffer.set(x, area.y, Cell(h, style: style))
            buffer.set(x, area.bottom - 1, Cell(h, style: style))
        }
        for y in area.y..<area.bottom {
            buffer.set(area.x, y, Cell(v, style: style))
            buffer.set(area.right - 1, y, Cell(v, style: style))
        }
        buffer.set(area.x, area.y, Cell(tl, style: style))
        buffer.set(area.right - 1, area.y, Cell(tr, style: style))
        buffer.set(area.x, area.bottom - 1, Cell(bl, style: style))
        buffer.set(area.right - 1, area.bottom - 1, Cell(br, style: style))
        if !title.isEmpty, area.width > 4 {
            buffer.write(" \(title) ", x: area.x + 2, y: area.y, style: style.bolded, maxWidth: area.width - 4)
        }
    }
}
