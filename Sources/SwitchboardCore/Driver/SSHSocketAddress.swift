/// A unix control socket on another host: `ssh://[USER@]HOST[:PORT]/path/to/admin.sock`.
///
/// Every part ends up on an `ssh` command line or inside the remote shell command, so each is checked
/// here: the user and host against the characters such names have, the path for being absolute and free
/// of quotes, whitespace and control characters (it is single-quoted on the remote side).
public struct SSHSocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The remote user, when given (otherwise ssh's own default or `~/.ssh/config`'s `User`).
    public var user: String?
    /// The host, or a `Host` alias from `~/.ssh/config`.
    public var host: String
    /// The ssh port, when given.
    public var port: Int?
    /// The control socket's path on that host.
    public var path: String

    /// Makes an address from parts already checked by the caller.
    public init(user: String?, host: String, port: Int?, path: String) {
        self.user = user
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `ssh://[USER@]HOST[:PORT]/path`.
    public init(parsing text: String) throws {
        let example = "write ssh://[USER@]HOST[:PORT]/path/to/admin.sock, e.g. ssh://ops@lb2/run/haproxy/admin.sock"
        guard text.hasPrefix("ssh://") else {
            throw SwitchboardError(.invalidValue, "'\(text)' is not an ssh address: \(example)")
        }
        let rest = text.dropFirst("ssh://".count)
        guard let slash = rest.firstIndex(of: "/") else {
            throw SwitchboardError(.invalidValue, "'\(text)' names no socket path: \(example)")
        }
        var authority = rest[..<slash]
        let path = String(rest[slash...])
        var user: String?
        if let at = authority.lastIndex(of: "@") {
            let name = authority[..<at]
            guard !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }),
                name.first != "-"
            else {
                throw SwitchboardError(.invalidValue, "'\(text)': '\(name)' is not a user name; nothing was contacted")
            }
            user = String(name)
            authority = authority[authority.index(after: at)...]
        }
        var port: Int?
        var host = authority
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 } else if !after.isEmpty { port = -1 }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = Int(authority[authority.index(after: colon)...]) ?? -1
        }
        if let port, !(1...65535).contains(port) {
            throw SwitchboardError(.invalidValue, "'\(text)': the ssh port must be 1–65535; nothing was contacted")
        }
        guard !host.isEmpty, host.first != "-" else {
            throw SwitchboardError(.invalidValue, "'\(text)' names no host: \(example)")
        }
        if let problem = ControlSocketAddress.hostProblem(host, bracketed: authority.hasPrefix("[")) {
            throw SwitchboardError(.invalidValue, "'\(text)': \(problem); nothing was contacted")
        }
        if let bad = path.first(where: {
            $0 == "'" || $0 == "\"" || $0 == "\\" || $0.isWhitespace || $0.isASCII && $0.asciiValue! < 32
        }) {
            throw SwitchboardError(
                .invalidValue,
                "'\(text)': the socket path may not contain \(bad == " " ? "spaces" : "'\(bad.unicodeScalars.first!.escaped(asASCII: true))'") "
                    + "(it is passed to a shell on the remote host); nothing was contacted")
        }
        guard path.count > 1 else {
            throw SwitchboardError(.invalidValue, "'\(text)' names no socket path: \(example)")
        }
        self.init(user: user, host: String(host), port: port, path: path)
    }

    /// `[USER@]HOST`, as ssh takes it.
    public var destination: String { (user.map { $0 + "@" } ?? "") + host }

    /// As the operator would type it.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "ssh://" + (user.map { $0 + "@" } ?? "") + shownHost + (port.map { ":\($0)" } ?? "") + path
    }
}
