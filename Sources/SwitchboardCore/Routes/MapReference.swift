/// How a command names a map: its file path or `#id`, checked to be one word that cannot smuggle a second command.
public struct MapReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text sent.
    public let value: String

    /// The map as the balancer listed it (from `show map`; its file is checked all the same).
    init(trustedMap map: RouteMap) {
        value = map.file.isEmpty || !Self.isSafe(map.file) ? "#\(map.id)" : map.file
    }

    /// A map typed by the operator: a file path or `#id`, one word without `;`, quotes or backslashes.
    public init(parsing text: String) throws {
        guard !text.isEmpty, Self.isSafe(text) else {
            throw SwitchboardError(
                .invalidName,
                "'\(text)' cannot name a map: give its file (as `switchboard routes` lists it) or #ID, without "
                    + "spaces, ';', quotes or backslashes")
        }
        if text.hasPrefix("#") {
            guard Int(text.dropFirst()) != nil else {
                throw SwitchboardError(.invalidName, "'\(text)' is not a map id: write #ID, e.g. #3")
            }
        }
        value = text
    }

    /// The text shown to people.
    public var description: String { value }

    /// True when `map` is this reference: the same file, or the same `#id`.
    public func names(_ map: RouteMap) -> Bool { value == map.file || value == "#\(map.id)" }

    /// Decodes the text as written by ``encode(to:)``, checked again.
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the map as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    static func isSafe(_ text: String) -> Bool {
        text.count <= 4096
            && !text.unicodeScalars.contains {
                $0.value <= 32 || $0.value == 127 || $0 == ";" || $0 == "\\" || $0 == "\"" || $0 == "'"
            }
    }
}

/// A map key or value that can be sent as one word: 1–255 printable characters of `A–Z a–z 0–9 . _ : / * @ + = ~ -`.
/// Anything else (spaces, `;`, `\`, quotes, `#`) would need escaping that HAProxy reads differently across
/// commands, so it is refused rather than escaped.
public struct RouteToken: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The token.
    public let value: String

    /// Checks `text`; `role` names it in the error (`key`, `value`).
    public init(_ text: String, role: String = "key") throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/*@+=~-")
        guard (1...255).contains(text.count) else {
            throw SwitchboardError(.invalidValue, "a map \(role) must be 1–255 characters ('\(text.prefix(40))')")
        }
        if let bad = text.first(where: { !allowed.contains($0) }) {
            throw SwitchboardError(
                .invalidValue,
                "map \(role) '\(text.prefix(80))' has '\(bad)': only letters, digits and . _ : / * @ + = ~ - can be "
                    + "sent safely; nothing was sent")
        }
        value = text
    }

    /// The text shown to people.
    public var description: String { value }
}
