import ConsoleApp
import SwitchboardCore

// Tests name servers and rows as the operator reads them: "be_app/app1", "be_app". A literal without the
// `/` (for a server) stops the test at once instead of matching nothing.

extension ServerID: ExpressibleByStringLiteral {
    /// Parses the literal.
    public init(stringLiteral text: String) {
        guard let id = ServerID(parsing: text) else { preconditionFailure("'\(text)' is not BACKEND/SERVER") }
        self = id
    }
}

extension RowID: ExpressibleByStringLiteral {
    /// Parses the literal.
    public init(stringLiteral text: String) {
        self = ServerID(parsing: text).map { .server($0) } ?? .backend(text)
    }
}
