/// Where a balancer's control socket is: a unix socket path, a TCP host and port, or a unix socket on
/// another host reached through the system `ssh` client.
///
/// Parsed from what the operator types: `/run/haproxy/admin.sock`, `unix:/path`, `unix:///path`,
/// `tcp://127.0.0.1:9999`, `tcp://[::1]:9999` or `ssh://ops@lb2.example.net:2222/run/haproxy/admin.sock`.
public enum ControlSocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// A unix domain socket.
    case unix(path: String)
    /// A TCP socket.
    case tcp(host: String, port: Int)
    /// A unix socket on another host, through `ssh` and a stdio bridge there.
    case ssh(SSHSocketAddress)

    /// Parses an address; throws ``SwitchboardError/Code/invalidValue`` with an example on bad input.
    public init(parsing text: String) throws {
        if text.hasPrefix("ssh://") {
            self = .ssh(try SSHSocketAddress(parsing: text))
            return
        }
        if text.hasPrefix("tcp://") {
            let rest = text.dropFirst("tcp://".count)
            let host: Substring
            let portText: Substring
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = rest[rest.index(after: rest.startIndex)..<close]
                portText = rest[close...].dropFirst().hasPrefix(":") ? rest[close...].dropFirst(2) : ""
            } else if let colon = rest.lastIndex(of: ":") {
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            } else {
                host = rest
                portText = ""
            }
            guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else {
                throw SwitchboardError(
                    .invalidValue,
                    "'\(text)' is not a TCP socket address: write tcp://HOST:PORT, e.g. tcp://127.0.0.1:9999")
            }
            if let problem = Self.hostProblem(host, bracketed: rest.hasPrefix("[")) {
                throw SwitchboardError(.invalidValue, "'\(text)': \(problem); nothing was contacted")
            }
            self = .tcp(host: String(host), port: port)
            return
        }
        var path = Substring(text)
        if path.hasPrefix("unix://") {
            path = path.dropFirst("unix://".count)
        } else if path.hasPrefix("unix:") {
            path = path.dropFirst("unix:".count)
        }
        guard !path.isEmpty, !path.contains("\0") else {
            throw SwitchboardError(
                .invalidValue, "'\(text)' is not a socket: give a unix socket path or tcp://HOST:PORT")
        }
        self = .unix(path: String(path))
    }

    /// Why `host` cannot be a host: an IPv4 address with an octet above 255, characters no host name has.
    static func hostProblem(_ host: Substring, bracketed: Bool) -> String? {
        if bracketed || host.contains(":") {
            return host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." })
                ? nil : "\(host) is not an IPv6 address"
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
            guard labels.count == 4, labels.allSatisfy({ ($0.count <= 3) && (Int($0) ?? 256) <= 255 }) else {
                return "\(host) is not an IPv4 address (four numbers 0–255)"
            }
            return nil
        }
        let allowed = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        return allowed && !labels.contains(where: \.isEmpty) ? nil : "\(host) is not a host name"
    }

    /// As the operator would type it.
    public var description: String {
        switch self {
        case .unix(let path): path
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        case .ssh(let ssh): ssh.description
        }
    }

    /// True for a TCP socket on a host other than this one: HAProxy's TCP CLI has no authentication and no
    /// encryption (an `ssl crt` on the `stats socket` line still serves plain text, measured on 2.6).
    public var isExposedTCP: Bool {
        guard case .tcp(let host, _) = self else { return false }
        return !(host == "localhost" || host == "::1" || host.hasPrefix("127."))
    }
}
