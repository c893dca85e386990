/// A backend, frontend or server name that is safe to put into a control-socket command.
///
/// HAProxy splits commands on `;` and words on whitespace, so a name is accepted only when it uses
/// HAProxy's own name alphabet `[A-Za-z0-9_.:-]` (the config parser and `add server` enforce the same).
/// Anything else is refused with ``SwitchboardError/Code/invalidName`` before a byte is sent.
public struct ObjectName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The validated name.
    public let value: String

    /// Validates a name; `kind` (e.g. "server") is used in the error message.
    public init(_ raw: String, kind: String = "name") throws {
        guard !raw.isEmpty else {
            throw SwitchboardError(.invalidName, "the \(kind) name is empty; nothing was sent")
        }
        guard raw.utf8.count <= 255 else {
            throw SwitchboardError(.invalidName, "the \(kind) name is longer than 255 bytes; nothing was sent")
        }
        if let bad = raw.unicodeScalars.first(where: { !ObjectName.isAllowed($0) }) {
            throw SwitchboardError(
                .invalidName,
                "'\(ObjectName.printable(raw))' is not a valid \(kind) name: HAProxy names use only letters, "
                    + "digits and _ . : - (found \(ObjectName.describe(bad))); nothing was sent")
        }
        value = raw
    }

    /// True for the characters HAProxy allows in proxy and server names.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", ":", "-": true
        default: false
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case "\t": "a tab"
        case "\n", "\r": "a line break"
        case ";": "';'"
        default:
            scalar.isASCII && scalar.value >= 32
                ? "'\(Character(scalar))'" : "U+\(String(scalar.value, radix: 16, uppercase: true))"
        }
    }

    static func printable(_ raw: String) -> String {
        String(String.UnicodeScalarView(raw.unicodeScalars.map { $0.value < 32 ? "?" : $0 }))
    }

    /// The text shown to people.
    public var description: String { value }

    /// Orders values for stable sorting.
    public static func < (lhs: ObjectName, rhs: ObjectName) -> Bool { lhs.value < rhs.value }
}

/// A validated `backend/server` pair.
public struct ServerRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The backend.
    public let backend: ObjectName
    /// The server.
    public let server: ObjectName

    /// Validates both names.
    public init(backend: String, server: String) throws {
        self.backend = try ObjectName(backend, kind: "backend")
        self.server = try ObjectName(server, kind: "server")
    }

    /// Parses `BACKEND/SERVER` as typed on the command line.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw SwitchboardError(
                .invalidName,
                "'\(ObjectName.printable(text))' is not BACKEND/SERVER (e.g. be_app/web1); nothing was sent")
        }
        try self.init(backend: String(parts[0]), server: String(parts[1]))
    }

    /// `backend/server`, as HAProxy writes it.
    public var description: String { "\(backend.value)/\(server.value)" }

    /// Orders values for stable sorting.
    public static func < (lhs: ServerRef, rhs: ServerRef) -> Bool { lhs.description < rhs.description }
}
