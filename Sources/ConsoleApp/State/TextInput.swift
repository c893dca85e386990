/// The one line editor behind every text field of the console: the filter, the raw prompt, the weight and
/// drain-timeout fields, the typed-name confirmation. Backspace/Delete remove the last character, Ctrl-U
/// clears, a character is added when the field allows it and has room; other keys are the caller's.
public struct TextInput: Hashable, Sendable {
    /// Which characters a field takes.
    public enum Allowed: Hashable, Sendable {
        /// Anything printable.
        case any
        /// Digits only (seconds).
        case digits
        /// Digits and `%` (weights).
        case weight
    }

    /// The longest text accepted.
    public var limit: Int
    /// The characters accepted.
    public var allowed: Allowed

    /// The filter (`/`).
    public static let filter = TextInput(limit: 200, allowed: .any)
    /// The raw Runtime API prompt (`!`) and the command palette (`:`).
    public static let prompt = TextInput(limit: 400, allowed: .any)
    /// A weight (`50` or `50%`).
    public static let weight = TextInput(limit: 5, allowed: .weight)
    /// A number of seconds.
    public static let seconds = TextInput(limit: 5, allowed: .digits)
    /// A name typed to confirm.
    public static let name = TextInput(limit: 100, allowed: .any)

    /// `text` after `key`, or nil when `key` is not an editing key (Enter, Esc, arrows… are the caller's).
    public func edited(_ text: String, by key: Key) -> String? {
        switch key {
        case .backspace, .delete: return String(text.dropLast())
        case .control("u"): return ""
        case .char(let character):
            guard accepts(character) else { return text }
            return text.count < limit ? text + String(character) : text
        default: return nil
        }
    }

    func accepts(_ character: Character) -> Bool {
        switch allowed {
        case .any: !character.isNewline
        case .digits: character.isASCII && character.isNumber
        case .weight: character.isASCII && (character.isNumber || character == "%")
        }
    }
}
