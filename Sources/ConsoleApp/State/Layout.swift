/// Where things go on a screen of a given size.
public struct Layout: Hashable, Sendable {
    /// The smallest usable terminal.
    public static let minimumWidth = 40
    /// The smallest usable terminal.
    public static let minimumHeight = 12

    /// Terminal width.
    public var width: Int
    /// Terminal height.
    public var height: Int

    /// Makes a layout.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Below 40×12 nothing but a notice fits.
    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
    /// The reduced layout below 80×24: one header line, fewer columns.
    public var isReduced: Bool { width < 80 || height < 24 }
    /// Header lines.
    public var headerHeight: Int { isReduced ? 1 : 2 }
    /// Rows available for the list (below the header and column titles, above the footer).
    public var listHeight: Int { max(0, height - headerHeight - 2) }
}
