import SwitchboardCore

/// The `/` filter: space-separated terms, all of which must match.
///
/// - `text`: substring of the server name, backend name or address (case-insensitive);
/// - `state:down` (also `up`, `maint`, `drain`, `nolb`, `backup`, `transition`): the server's state;
/// - `be:NAME`: substring of the backend name;
/// - `addr:10.0.`: substring of the address;
/// - `state:drift` (fleet view): servers that differ between the balancers in view or are missing on some.
public struct Filter: Hashable, Sendable, CustomStringConvertible {
    /// One term.
    public enum Term: Hashable, Sendable {
        case text(String)
        case state(String)
        case backend(String)
        case address(String)
    }

    /// The text as typed.
    public let text: String
    /// The parsed terms.
    public let terms: [Term]

    /// Parses a filter; unknown `key:` prefixes are plain text.
    public init(_ text: String) {
        self.text = text
        terms = text.split(separator: " ").map { word in
            let lower = word.lowercased()
            if lower.hasPrefix("state:") { return .state(String(lower.dropFirst(6))) }
            if lower.hasPrefix("be:") { return .backend(String(lower.dropFirst(3))) }
            if lower.hasPrefix("addr:") { return .address(String(lower.dropFirst(5))) }
            return .text(lower)
        }
    }

    /// True when there are no terms.
    public var isEmpty: Bool { terms.isEmpty }

    /// True when `server` of `backend` matches every term.
    public func matches(_ server: Server, in backend: Backend) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .text(let value):
                server.name.lowercased().contains(value) || backend.name.lowercased().contains(value)
                    || server.address.contains(value)
            case .backend(let value): backend.name.lowercased().contains(value)
            case .address(let value): server.address.contains(value)
            case .state(let value): Self.state(of: server).contains(value)
            }
        }
    }

    /// True when a server merged across balancers matches every term: a state term matches when it matches on
    /// some node (`state:drain` finds a server drained on one node only); `state:drift` when the nodes differ.
    public func matches(_ server: FleetServer, in backend: FleetBackend) -> Bool {
        let present = server.perNode.compactMap { $0 }
        let someBackend = backend.perNode.lazy.compactMap { $0 }.first
        return terms.allSatisfy { term in
            if case .state("drift") = term { return !server.drift.isEmpty }
            guard let someBackend else { return false }
            return present.contains { Filter(terms: [term]).matches($0, in: someBackend) }
        }
    }

    private init(terms: [Term]) {
        self.text = ""
        self.terms = terms
    }

    /// The state words a server answers to.
    static func state(of server: Server) -> Set<String> {
        // A server in MAINT is "maint", not "down", even though HAProxy reports it stopped.
        var words: Set<String> = [server.admin.mode.rawValue]
        if server.admin.mode != .maint { words.insert(server.health.rawValue) }
        switch server.status.kind {
        case .up: words.insert("up")
        case .down: words.insert("down")
        case .maint: words.insert("maint")
        case .drain: words.insert("drain")
        case .nolb: words.insert("nolb")
        case .noCheck: words.insert("nocheck")
        case .other: break
        }
        if server.admin.mode == .maint { words.insert("maintenance") }
        if server.isBackup { words.insert("backup") }
        if server.status.progress != nil { words.insert("transition") }
        return words
    }

    /// The text shown to people.
    public var description: String { text }
}
