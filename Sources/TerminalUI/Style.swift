/// A terminal colour: the 8 standard colours, their bright variants, or the terminal's default.
public enum Color: Hashable, Sendable, CaseIterable {
    /// The terminal's own foreground or background.
    case `default`
    /// Standard colours.
    case black, red, green, yellow, blue, magenta, cyan, white
    /// Bright black (grey), for de-emphasised text.
    case gray
}

/// How a cell is drawn: colours and attributes. Values, compared and hashed, so runs of equal style
/// can be blitted together.
public struct Style: Hashable, Sendable {
    /// Foreground colour.
    public var foreground: Color
    /// Background colour.
    public var background: Color
    /// Bold.
    public var bold: Bool
    /// Dim.
    public var dim: Bool
    /// Reverse video (the selection).
    public var reverse: Bool
    /// Underline.
    public var underline: Bool

    /// Makes a style; everything defaults to the terminal's plain text.
    public init(
        foreground: Color = .default, background: Color = .default, bold: Bool = false, dim: Bool = false,
        reverse: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// Plain text.
    public static let plain = Style()

    /// This style with another foreground.
    public func foreground(_ color: Color) -> Style {
        var copy = self
        copy.foreground = color
        return copy
    }

    /// This style, bold.
    public var bolded: Style {
        var copy = self
        copy.bold = true
        return copy
    }
}

/// Which glyphs widgets may use: Unicode block elements, or ASCII when the locale is not UTF-8.
public enum GlyphSet: Hashable, Sendable {
    /// `▏▎▍▌▋▊▉█`, `▁▂▃▄▅▆▇█`, box drawing.
    case unicode
    /// `#`, `=`, `-`, `|`: safe in any locale.
    case ascii
}
