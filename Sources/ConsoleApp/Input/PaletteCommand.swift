import SwitchboardCore

/// A line typed in the `:` command palette, parsed into what it asks for. Names are kept as typed: they are
/// resolved against the balancer in view (and validated) when the command runs, exactly as a key's selection is.
public enum PaletteCommand: Hashable, Sendable {
    /// A server action (drain, ready, maint, kill-sessions, health, agent, mark) on the named servers, or on the
    /// marked/selected ones when no name is given — like its key.
    case servers(Action, names: [String])
    /// Open the weight dialog on the named (or marked/selected) servers with `value` typed in.
    case weight(names: [String], value: String?)
    /// A backend action (failover, failback, redistribute) on the named backend, or the selected one.
    case backend(Action, name: String?)
    /// An action that takes no argument, exactly as its key.
    case action(Action)
    /// Clear the marks.
    case unmark
    /// Set the filter (empty clears it).
    case filter(String)
    /// Sort servers by a column; nil keeps the direction.
    case sort(SortColumn, descending: Bool?)
    /// Show a view or pane.
    case view(PaletteView)
    /// Focus a balancer, a group, or `all`.
    case target(String)
    /// Open the incident dialog (start with this title, or end the open one).
    case incident(title: String)
    /// A raw Runtime API command (empty: open the raw prompt).
    case raw(String)
}

/// The views `:view` switches to.
public enum PaletteView: String, Hashable, Sendable, CaseIterable {
    case servers, frontends, events, log, routes, help, raw
}

/// A command the palette knows: its name, what follows it, and what it does (for completion and `:help`).
public struct PaletteVerb: Hashable, Sendable {
    /// The word typed.
    public var name: String
    /// What follows the name, e.g. `[TARGET…] VALUE`.
    public var usage: String
    /// What it does.
    public var help: String
    /// What its arguments complete to.
    public var completes: Completion

    /// What a verb's arguments are.
    public enum Completion: Hashable, Sendable {
        case none, servers, backend, sortColumns, views, balancers
    }
}

/// Why a palette line cannot run; shown beside the line, which stays open to be corrected.
public struct PaletteError: Error, Hashable, Sendable {
    /// In words.
    public var message: String
    /// Makes an error.
    public init(_ message: String) { self.message = message }
}

extension PaletteCommand {
    /// Every verb, in the order `:help` and completion list them.
    public static let verbs: [PaletteVerb] = [
        .init(name: "drain", usage: "[TARGET…]", help: "no new sessions; current ones finish", completes: .servers),
        .init(name: "ready", usage: "[TARGET…]", help: "back in service", completes: .servers),
        .init(name: "maint", usage: "[TARGET…]", help: "out of service", completes: .servers),
        .init(
            name: "weight", usage: "[TARGET…] VALUE", help: "50 or 50% (of the configured weight), previewed",
            completes: .servers),
        .init(name: "health", usage: "[TARGET…]", help: "force health down/up", completes: .servers),
        .init(name: "agent", usage: "[TARGET…]", help: "force the agent down/up", completes: .servers),
        .init(name: "kill", usage: "[TARGET…]", help: "kill the servers' sessions", completes: .servers),
        .init(name: "mark", usage: "TARGET…", help: "mark servers for the next action", completes: .servers),
        .init(name: "unmark", usage: "", help: "clear the marks", completes: .none),
        .init(name: "failover", usage: "[BACKEND]", help: "fail the backend over to its backups", completes: .backend),
        .init(
            name: "failback", usage: "[BACKEND]", help: "restore the states recorded at failover", completes: .backend),
        .init(
            name: "redistribute", usage: "[BACKEND]", help: "even, by capacity, shed load", completes: .backend),
        .init(name: "undo", usage: "", help: "undo the last action", completes: .none),
        .init(name: "reapply", usage: "", help: "re-apply what a reload undid", completes: .none),
        .init(name: "consistent", usage: "", help: "fleet: bring drifting servers to the majority", completes: .none),
        .init(
            name: "filter", usage: "[TEXT]", help: "text · state:down · be:NAME · addr:10.0. (empty clears)",
            completes: .none),
        .init(
            name: "sort", usage: "COLUMN [asc|desc]",
            help: "config name state weight sessions load rate errors rt", completes: .sortColumns),
        .init(
            name: "view", usage: "NAME", help: "servers frontends events log routes help raw", completes: .views),
        .init(name: "target", usage: "NAME|all", help: "focus one balancer or group, or all", completes: .balancers),
        .init(name: "routes", usage: "", help: "the maps' entries and their backends", completes: .none),
        .init(name: "events", usage: "", help: "DOWN/UP, admin changes, backups in use…", completes: .none),
        .init(name: "log", usage: "", help: "the audit log", completes: .none),
        .init(name: "incident", usage: "[TITLE]", help: "mark an incident's start, or its end", completes: .none),
        .init(name: "refresh", usage: "", help: "refresh now", completes: .none),
        .init(name: "pause", usage: "", help: "pause or resume refreshing", completes: .none),
        .init(name: "raw", usage: "[COMMAND]", help: "a Runtime API command (also !)", completes: .servers),
        .init(name: "help", usage: "", help: "keys and these commands", completes: .none),
        .init(name: "quit", usage: "", help: "quit", completes: .none),
    ]

    /// Other spellings accepted for a verb.
    static let aliases: [String: String] = [
        "maintenance": "maint", "enable": "ready", "focus": "target", "q": "quit", "audit": "log",
        "kill-sessions": "kill", "make-consistent": "consistent", "frontends": "view frontends",
        "servers": "view servers",
    ]

    /// Sort column names as typed.
    static let sortNames: [String: SortColumn] = [
        "config": .none, "none": .none, "name": .name, "state": .state, "weight": .weight, "sessions": .sessions,
        "load": .load, "rate": .rate, "errors": .errors, "5xx": .errors, "rt": .responseTime,
        "response": .responseTime,
    ]

    /// The verb named `word` (or one of its aliases).
    public static func verb(_ word: String) -> PaletteVerb? {
        let name = aliases[word].map { $0.split(separator: " ").first.map(String.init) ?? $0 } ?? word
        return verbs.first { $0.name == name }
    }

    /// Parses one palette line. `!COMMAND` is a raw Runtime API command.
    public static func parse(_ line: String) throws(PaletteError) -> PaletteCommand {
        var text = line.trimmingSpaces()
        if text.hasPrefix(":") { text.removeFirst() }
        if text.hasPrefix("!") { return .raw(String(text.dropFirst()).trimmingSpaces()) }
        if let alias = aliases[text.split(separator: " ").first.map(String.init) ?? ""], alias.contains(" ") {
            text = alias + text.drop { $0 != " " }
        }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { throw PaletteError("type a command (Tab completes, :help lists them)") }
        let verbWord = aliases[first].flatMap { $0.contains(" ") ? nil : $0 } ?? first
        let arguments = Array(words.dropFirst())
        let rest = text.dropFirst(first.count).trimmingSpaces()
        switch verbWord {
        case "drain": return .servers(.drain, names: arguments)
        case "ready": return .servers(.ready, names: arguments)
        case "maint": return .servers(.maint, names: arguments)
        case "health": return .servers(.health, names: arguments)
        case "agent": return .servers(.agent, names: arguments)
        case "kill": return .servers(.killSessions, names: arguments)
        case "mark":
            guard !arguments.isEmpty else { throw PaletteError("mark what? :mark TARGET… (or Space on a row)") }
            return .servers(.mark, names: arguments)
        case "unmark": return try noArguments(verbWord, arguments, .unmark)
        case "weight":
            guard let last = arguments.last, Self.looksLikeWeight(last) else {
                if arguments.isEmpty { return .weight(names: [], value: nil) }
                throw PaletteError(
                    "weight needs a value last: :weight [TARGET…] 50 or 50% (of the configured weight)")
            }
            return .weight(names: Array(arguments.dropLast()), value: last)
        case "failover", "failback", "redistribute":
            guard arguments.count <= 1 else {
                throw PaletteError("\(verbWord) takes one backend: :\(verbWord) BACKEND")
            }
            let action: Action = verbWord == "failover" ? .failover : verbWord == "failback" ? .failback : .redistribute
            return .backend(action, name: arguments.first)
        case "undo": return try noArguments(verbWord, arguments, .action(.undo))
        case "reapply": return try noArguments(verbWord, arguments, .action(.reapply))
        case "consistent": return try noArguments(verbWord, arguments, .action(.makeConsistent))
        case "routes": return try noArguments(verbWord, arguments, .view(.routes))
        case "events": return try noArguments(verbWord, arguments, .view(.events))
        case "log": return try noArguments(verbWord, arguments, .view(.log))
        case "help": return .view(.help)
        case "refresh": return try noArguments(verbWord, arguments, .action(.refresh))
        case "pause": return try noArguments(verbWord, arguments, .action(.pause))
        case "quit": return try noArguments(verbWord, arguments, .action(.quit))
        case "filter": return .filter(rest)
        case "sort":
            guard let name = arguments.first, let column = sortNames[name.lowercased()] else {
                throw PaletteError(
                    "sort by what? " + (arguments.first.map { "`\($0)` is not a column; " } ?? "")
                        + "columns: config name state weight sessions load rate errors rt")
            }
            guard arguments.count <= 2 else { throw PaletteError("sort takes a column and asc or desc") }
            switch arguments.dropFirst().first?.lowercased() {
            case nil: return .sort(column, descending: nil)
            case "asc": return .sort(column, descending: false)
            case "desc": return .sort(column, descending: true)
            case let other?: throw PaletteError("`\(other)`: asc or desc")
            }
        case "view":
            guard arguments.count == 1, let view = PaletteView(rawValue: arguments[0].lowercased()) else {
                throw PaletteError(
                    "view what? " + PaletteView.allCases.map(\.rawValue).joined(separator: " "))
            }
            return .view(view)
        case "target":
            guard arguments.count <= 1 else { throw PaletteError("target takes one name: :target NAME|all") }
            return .target(arguments.first ?? "all")
        case "incident": return .incident(title: rest)
        case "raw": return .raw(rest)
        default:
            let close = verbs.map(\.name).filter { $0.hasPrefix(String(first.prefix(2))) }
            throw PaletteError(
                "unknown command `\(first)`"
                    + (close.isEmpty ? "" : " — did you mean \(close.joined(separator: ", "))?")
                    + " (Tab completes; :help lists them; !COMMAND sends a Runtime API command)")
        }
    }

    static func noArguments(_ verb: String, _ arguments: [String], _ command: PaletteCommand) throws(PaletteError)
        -> PaletteCommand
    {
        guard arguments.isEmpty else { throw PaletteError("\(verb) takes no arguments") }
        return command
    }

    /// `50`, `50%`, `0`.
    static func looksLikeWeight(_ word: String) -> Bool {
        let digits = word.hasSuffix("%") ? word.dropLast() : Substring(word)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
