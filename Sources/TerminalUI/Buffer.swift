/// One terminal cell: a single-width character and its style.
public struct Cell: Hashable, Sendable {
    /// The character drawn.
    public var symbol: Character
    /// How it is drawn.
    public var style: Style

    /// Makes a cell.
    public init(_ symbol: Character = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    /// A blank cell.
    public static let blank = Cell()
}

/// A grid of cells that widgets render into; the ncurses backend blits it and tests read it as lines.
///
/// Writes outside ``area`` are clipped, never a crash, so every widget is safe on a 1×1 or empty area.
public struct Buffer: Hashable, Sendable {
    /// The area the buffer covers.
    public let area: Rect
    /// The cells, row by row.
    public private(set) var cells: [Cell]

    /// A blank buffer covering `area`.
    public init(area: Rect) {
        self.area = area
        cells = Array(repeating: .blank, count: area.width * area.height)
    }

    /// The cell at absolute position (`x`, `y`), or nil outside the area.
    public subscript(x: Int, y: Int) -> Cell? {
        guard x >= area.x, x < area.right, y >= area.y, y < area.bottom else { return nil }
        return cells[(y - area.y) * area.width + (x - area.x)]
    }

    /// Sets one cell; ignored outside the area.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= area.x, x < area.right, y >= area.y, y < area.bottom else { return }
        cells[(y - area.y) * area.width + (x - area.x)] = cell
    }

    /// Writes `text` from (`x`, `y`) in `style`, at most `maxWidth` cells; returns the cells written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = .max) -> Int {
        var column = x
        var written = 0
        for character in text {
            guard written < maxWidth, column < area.right else { break }
            let printable: Character =
                character.isNewline || character.asciiValue.map { $0 < 32 } == true ? "?" : character
            set(column, y, Cell(printable, style: style))
            column += 1
            written += 1
        }
        return written
    }

    /// Fills `rect` (clipped to the area) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let clipped = rect.intersection(area)
        for y in clipped.y..<clipped.bottom {
            for x in clipped.x..<clipped.right { set(x, y, cell) }
        }
    }

    /// The buffer as text lines, trailing spaces kept: what a test compares against.
    public var lines: [String] {
        (0..<area.height).map { row in
            String(cells[(row * area.width)..<((row + 1) * area.width)].map(\.symbol))
        }
    }
}
