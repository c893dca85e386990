/// A server's identity on a balancer: its backend and its name, as the balancer reports them.
///
/// The one typed key for a server across the product — rows, marks, metrics, plans, audit and failover
/// records — so no code splits `"backend/server"` by hand. It is written (and decoded) as that text, so the
/// audit log and failover files keep their format. Not validated: a name goes into a command only through
/// ``ServerRef`` (``validated()``).
public struct ServerID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The backend's name.
    public let backend: String
    /// The server's name.
    public let name: String

    /// The server `name` of `backend`.
    public init(backend: String, name: String) {
        self.backend = backend
        self.name = name
    }

    /// Parses `BACKEND/SERVER`; nil without a `/` or with an empty part.
    public init?(parsing text: some StringProtocol) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let backend = text[..<slash], name = text[text.index(after: slash)...]
        guard !backend.isEmpty, !name.isEmpty else { return nil }
        self.init(backend: String(backend), name: String(name))
    }

    /// `backend/server`, as HAProxy writes it.
    public var description: String { "\(backend)/\(name)" }

    /// The names checked for use in a control-socket command.
    public func validated() throws -> ServerRef { try ServerRef(backend: backend, server: name) }

    /// Orders by backend, then name.
    public static func < (lhs: ServerID, rhs: ServerID) -> Bool {
        (lhs.backend, lhs.name) < (rhs.backend, rhs.name)
    }

    /// Decodes `backend/server`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ServerID(parsing: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "'\(text)' is not BACKEND/SERVER"))
        }
        self = id
    }

    /// Encodes `backend/server`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ServerRef {
    /// The server's identity.
    public var id: ServerID { ServerID(backend: backend.value, name: server.value) }
}

extension BalancerSnapshot {
    /// The server with this identity.
    public func server(_ id: ServerID) -> Server? { server(id.backend, id.name) }

    /// The server these checked names denote.
    public func server(_ ref: ServerRef) -> Server? { server(ref.backend.value, ref.server.value) }
}
