import SwitchboardCore

/// The names the palette completes and resolves: the servers and backends in view (one balancer's, or the
/// fleet view's merged ones) and the balancers and groups `:target` takes.
public struct PaletteNames: Hashable, Sendable {
    /// Every server in view, in config order.
    public var servers: [ServerID]
    /// Every backend in view, in config order.
    public var backends: [String]
    /// Balancer ids, group names and `all`.
    public var balancers: [String]

    /// Names as given (tests).
    public init(servers: [ServerID], backends: [String], balancers: [String] = ["all"]) {
        self.servers = servers
        self.backends = backends
        self.balancers = balancers
    }

    /// The names of what `model` shows.
    public init(_ model: ConsoleModel) {
        if model.isFleetView {
            backends = model.fleet.backends.map(\.name)
            servers = model.fleet.backends.flatMap { $0.servers.map(\.id) }
        } else {
            backends = model.snapshot?.backends.map(\.name) ?? []
            servers = model.snapshot?.allServers.map(\.id) ?? []
        }
        balancers = model.balancers.map(\.id.rawValue) + model.groups.keys.sorted() + ["all"]
    }
}

/// Tab in the palette: completes the word before the cursor to the longest prefix the candidates share —
/// a verb first, then what that verb takes (servers, a backend, a column, a view, a balancer).
public enum PaletteCompletion {
    /// The completed line, and the candidates when more than one fits (shown beside the line).
    public static func complete(_ text: String, names: PaletteNames) -> (text: String, candidates: [String]) {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let word = words.last ?? ""
        let pool: [String]
        var addsSlash = false
        if words.count <= 1 {
            if word.hasPrefix("!") { return (text, []) }
            pool = PaletteCommand.verbs.map(\.name)
        } else {
            switch PaletteCommand.verb(words[0])?.completes ?? .none {
            case .none: return (text, [])
            case .servers:
                if word.contains("/") {
                    pool = names.servers.map(\.description)
                } else {
                    // A backend (to go on with `/`) or a server name found in only one backend.
                    var counts: [String: Int] = [:]
                    for server in names.servers { counts[server.name, default: 0] += 1 }
                    let unique = names.servers.map(\.name).filter { counts[$0] == 1 }
                    pool = names.backends + unique.filter { !names.backends.contains($0) }
                    addsSlash = true
                }
            case .backend: pool = names.backends
            case .sortColumns: pool = ["config", "name", "state", "weight", "sessions", "load", "rate", "errors", "rt"]
            case .views: pool = PaletteView.allCases.map(\.rawValue)
            case .balancers: pool = names.balancers
            }
        }
        var seen = Set<String>()
        let matches = pool.filter { $0.hasPrefix(word) && seen.insert($0).inserted }
        guard let first = matches.first else { return (text, []) }
        var common = first
        for match in matches.dropFirst() {
            while !match.hasPrefix(common) { common.removeLast() }
        }
        let head = String(text.dropLast(word.count))
        guard matches.count == 1 else { return (head + common, matches) }
        // One fit: a verb or a whole name takes a space after it; a backend of a server target takes `/`.
        let suffix = addsSlash && names.backends.contains(common) ? "/" : " "
        return (head + common + suffix, [])
    }
}
