/// A key press, independent of the terminal library that read it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (space included).
    case char(Character)
    /// Cursor and editing keys.
    case up, down, left, right, pageUp, pageDown, home, end, enter, escape, tab, backTab, backspace, delete
    /// F1…F12.
    case function(Int)
    /// Ctrl plus a letter: `.control("c")` is Ctrl-C.
    case control(Character)
    /// A mouse report (never bound in keymaps: clicks select, the wheel scrolls, footer hints run).
    case mouse(MouseEvent)

    /// Parses a key name as written in keymap files: `q`, `Space`, `Up`, `PgDn`, `S-Tab`, `F5`, `C-c`.
    public init?(name: String) {
        if let named = Key.named[name] {
            self = named
            return
        }
        if name.count == 1, let character = name.first, !character.isWhitespace, !character.isNewline {
            self = .char(character)
            return
        }
        if name.hasPrefix("C-"), name.count == 3, let letter = name.last, letter.isASCII, letter.isLetter {
            self = .control(Character(letter.lowercased()))
            return
        }
        if name.hasPrefix("F"), let number = Int(name.dropFirst()), (1...12).contains(number) {
            self = .function(number)
            return
        }
        return nil
    }

    static let named: [String: Key] = [
        "Up": .up, "Down": .down, "Left": .left, "Right": .right, "PgUp": .pageUp, "PgDn": .pageDown,
        "Home": .home, "End": .end, "Enter": .enter, "Esc": .escape, "Tab": .tab, "S-Tab": .backTab,
        "Backspace": .backspace, "Delete": .delete, "Space": .char(" "),
    ]

    /// The name used in keymap files and in the help screen.
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let character): String(character)
        case .function(let number): "F\(number)"
        case .control(let letter): "C-\(letter)"
        case .mouse: "mouse"
        default: Key.named.first { $0.value == self }?.key ?? "?"
        }
    }
}
