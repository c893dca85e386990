extension Buffer {
    /// One letter per cell for the foreground colour (`.` default, `r` red, `g` green, `y` yellow,
    /// `b` blue, `c` cyan, `m` magenta, `w` white, `k` black, `-` gray), upper-cased (`#` for default)
    /// in reverse video: the style layer golden screens keep under the text.
    public var colorLayer: [String] {
        (0..<area.height).map { row in
            String(
                cells[(row * area.width)..<((row + 1) * area.width)].map { cell in
                    let letter: Character
                    switch cell.style.foreground {
                    case .default: letter = "."
                    case .red: letter = "r"
                    case .green: letter = "g"
                    case .yellow: letter = "y"
                    case .blue: letter = "b"
                    case .cyan: letter = "c"
                    case .magenta: letter = "m"
                    case .white: letter = "w"
                    case .black: letter = "k"
                    case .gray: letter = "-"
                    }
                    guard cell.style.reverse else { return letter }
                    return letter == "." ? "#" : Character(letter.uppercased())
                })
        }
    }

    /// The text lines, a separator, then the colour layer: what golden screens store.
    public var golden: String {
        (lines + ["", "--- colours ---"] + colorLayer).joined(separator: "\n")
    }
}
