/// A server weight to set: absolute (0–256) or a percentage of the initial weight (0–100 %).
///
/// Range-checked on construction: HAProxy clamps `300%` to 256 without a word, so values outside the
/// range are refused here instead.
public enum WeightValue: Sendable, Hashable, CustomStringConvertible {
    /// An absolute weight, 0…256.
    case absolute(Int)
    /// A percentage of the server's initial (config) weight, 0…100.
    case percent(Int)

    /// The valid absolute range.
    public static let absoluteRange = 0...256
    /// The valid percentage range.
    public static let percentRange = 0...100

    /// Parses `50` or `50%`, range-checked.
    /// Exactly digits with an optional `%`: no spaces (`' 50'` is refused, not guessed), no sign.
    public init(parsing text: String) throws {
        let isPercent = text.hasSuffix("%")
        let digits = isPercent ? String(text.dropLast()) : text
        if digits.hasPrefix("-"), digits.count > 1, digits.dropFirst().allSatisfy(\.isASCIIDigit) {
            throw SwitchboardError(
                .invalidValue, "weight \(text) is out of range: HAProxy accepts 0–256 or 0–100%; nothing was sent")
        }
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy(\.isASCIIDigit), let number = Int(digits) else {
            throw SwitchboardError(
                .invalidValue, "'\(text)' is not a weight: give 0–256 or a percentage 0–100% (e.g. 50%)")
        }
        self = try isPercent ? .validatedPercent(number) : .validatedAbsolute(number)
    }

    /// An absolute weight, checked against 0…256.
    public static func validatedAbsolute(_ value: Int) throws -> WeightValue {
        guard absoluteRange.contains(value) else {
            throw SwitchboardError(.invalidValue, "weight \(value) is out of range: HAProxy accepts 0–256")
        }
        return .absolute(value)
    }

    /// A percentage, checked against 0…100.
    public static func validatedPercent(_ value: Int) throws -> WeightValue {
        guard percentRange.contains(value) else {
            throw SwitchboardError(
                .invalidValue, "weight \(value)% is out of range: give 0–100% of the initial weight")
        }
        return .percent(value)
    }

    /// The resulting absolute weight for a server whose initial weight is `initial` (HAProxy rounds down).
    public func resolved(initialWeight initial: Int) -> Int {
        switch self {
        case .absolute(let value): value
        case .percent(let value): min(256, initial * value / 100)
        }
    }

    /// As sent to HAProxy: `50` or `50%`.
    public var description: String {
        switch self {
        case .absolute(let value): "\(value)"
        case .percent(let value): "\(value)%"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice.removeFirst() }
        while slice.last == set { slice.removeLast() }
        return String(slice)
    }
}
