/// HAProxy's `status` text of a server, parsed but never lost.
///
/// The vocabulary is open: `UP`, `DOWN`, `MAINT`, `DRAIN`, `NOLB`, `no check`, with a check progress
/// (`UP 1/3` is failing but still up, `DOWN 1/2` is recovering), a qualifier (`DOWN (agent)`,
/// `DRAIN (agent)`) or a tracked server (`MAINT (via be/srv)`). Unknown texts parse as ``Kind/other``
/// and keep their ``text``.
public struct ServerStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The leading word of the status.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `UP`.
        case up
        /// `DOWN`.
        case down
        /// `MAINT`.
        case maint
        /// `DRAIN`.
        case drain
        /// `NOLB` (health `stopping`).
        case nolb
        /// `no check`: checks are disabled, the server is considered up.
        case noCheck
        /// Anything else; see ``ServerStatus/text``.
        case other
    }

    /// Steps of a health transition in progress, e.g. `1/3` in `UP 1/3`.
    public struct Progress: Sendable, Hashable, Codable {
        /// Checks passed (or failed) so far.
        public var current: Int
        /// Checks needed to change state.
        public var needed: Int

        /// Makes a progress value.
        public init(current: Int, needed: Int) {
            self.current = current
            self.needed = needed
        }
    }

    /// The text exactly as HAProxy sent it.
    public var text: String
    /// The leading word.
    public var kind: Kind
    /// A transition in progress, if any.
    public var progress: Progress?
    /// True for `(agent)`: the state comes from the agent check.
    public var byAgent: Bool
    /// The tracked server for `(via be/srv)`.
    public var via: String?

    /// Parses a status text; never fails.
    public init(_ text: String) {
        self.text = text
        self.progress = nil
        self.byAgent = false
        self.via = nil
        switch text {  // the common texts, without scanning
        case "UP":
            kind = .up
            return
        case "DOWN":
            kind = .down
            return
        case "MAINT":
            kind = .maint
            return
        case "DRAIN":
            kind = .drain
            return
        default:
            break
        }
        var rest = Substring(text)
        let word = rest.prefix { $0 != " " }
        switch word {
        case "UP": kind = .up
        case "DOWN": kind = .down
        case "MAINT": kind = .maint
        case "DRAIN": kind = .drain
        case "NOLB": kind = .nolb
        case "no" where text.hasPrefix("no check"):
            kind = .noCheck
            return
        default:
            kind = .other
            return
        }
        rest = rest.dropFirst(word.count).drop { $0 == " " }
        if let slash = rest.firstIndex(of: "/"), let current = Int(rest[rest.startIndex..<slash]) {
            let afterSlash = rest[rest.index(after: slash)...]
            let neededText = afterSlash.prefix { $0.isNumber }
            if let needed = Int(neededText) {
                progress = Progress(current: current, needed: needed)
                rest = afterSlash.dropFirst(neededText.count).drop { $0 == " " }
            }
        }
        if rest.hasPrefix("(agent)") {
            byAgent = true
        } else if rest.hasPrefix("(via "), rest.hasSuffix(")") {
            via = String(rest.dropFirst(5).dropLast())
        }
    }

    /// The text shown to people.
    public var description: String { text }
}

/// A server's operational health, from the checks (or forced from the CLI).
public enum Health: String, Sendable, Hashable, Codable, CaseIterable {
    /// Serving (or unchecked, which HAProxy treats as up).
    case up
    /// Failed its checks.
    case down
    /// `NOLB`: up but taking no new load-balanced traffic (health `stopping`).
    case stopping
    /// Coming up (slowstart).
    case starting
    /// Not known (e.g. MAINT without servers-state data).
    case unknown

    /// Decodes `show servers state`'s `srv_op_state`: 0 stopped, 1 starting, 2 running, 3 stopping.
    public init(operationalState: Int) {
        switch operationalState {
        case 0: self = .down
        case 1: self = .starting
        case 2: self = .up
        case 3: self = .stopping
        default: self = .unknown
        }
    }

    /// Derives health from the status text when nothing better is known.
    public init(status: ServerStatus) {
        switch status.kind {
        case .up, .drain, .noCheck: self = .up
        case .down: self = .down
        case .nolb: self = .stopping
        case .maint, .other: self = .unknown
        }
    }
}

/// The result of the latest health (or agent) check.
public struct CheckResult: Sendable, Hashable, Codable {
    /// The status code without the running marker, e.g. `L7OK`, `L4CON`, `L7STS`; empty when none.
    public var status: String
    /// True when the text had the `* ` prefix: a check is running right now.
    public var inProgress: Bool
    /// The HTTP (or agent) code of the last check, when any.
    public var code: Int?
    /// How long the last check took, in milliseconds.
    public var durationMilliseconds: Int?
    /// HAProxy's long description, e.g. `Layer4 connection problem`.
    public var description: String

    /// Parses `check_status` (with its optional `* ` prefix) and the companion fields.
    public init(statusText: String, code: Int? = nil, durationMilliseconds: Int? = nil, description: String = "") {
        if statusText.hasPrefix("* ") {
            status = String(statusText.dropFirst(2))
            inProgress = true
        } else {
            status = statusText
            inProgress = false
        }
        self.code = code
        self.durationMilliseconds = durationMilliseconds
        self.description = description
    }

    /// True when the status says the check passed (`L4OK`, `L6OK`, `L7OK`, `L7OKC`).
    public var passed: Bool { status.hasSuffix("OK") || status == "L7OKC" }
}
