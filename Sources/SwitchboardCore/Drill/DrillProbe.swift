/// A drill's HTTP probe: `http://HOST:PORT/PATH`, usually the frontend the users reach, which must answer 2xx
/// before, during and after the drill. Plain HTTP only (probe the frontend's HTTP port or a health endpoint).
public struct DrillProbe: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The host name or address.
    public var host: String
    /// The port (80 when the URL names none).
    public var port: Int
    /// The path, with its query (`/` when the URL names none).
    public var path: String

    /// Parses `http://HOST[:PORT][/PATH]`.
    public init(parsing url: String) throws {
        guard url.hasPrefix("http://") else {
            throw SwitchboardError(
                .invalidValue,
                "--probe \(url): give an http:// URL (https is not supported: probe the frontend's plain HTTP port "
                    + "or a health endpoint)")
        }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority), port = 80
        if let colon = authority.lastIndex(of: ":") {
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(parsed) else {
                throw SwitchboardError(.invalidValue, "--probe \(url): the port must be 1–65535")
            }
            host = String(authority[..<colon])
            port = parsed
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        guard !host.isEmpty, host.allSatisfy(allowed.contains) else {
            throw SwitchboardError(.invalidValue, "--probe \(url): '\(host)' is not a host name or IPv4 address")
        }
        guard !path.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw SwitchboardError(.invalidValue, "--probe \(url): the path holds whitespace")
        }
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : String(path)
    }

    /// `http://HOST:PORT/PATH`.
    public var description: String { "http://\(host):\(port)\(path)" }

    /// True for a status the probe accepts (2xx).
    public static func accepts(_ status: Int?) -> Bool { status.map { (200...299).contains($0) } ?? false }
}
