import FoundationEssentials

/// One line of the audit log: who did what to which balancer, the exact commands and replies, the
/// state before and after, and whether the change was verified.
public struct AuditRecord: Codable, Sendable, Hashable {
    /// UTC time, ISO 8601 with milliseconds.
    public var time: String
    /// The OS user.
    public var user: String
    /// The host Switchboard ran on.
    public var host: String
    /// `console` or `cli`.
    public var via: String
    /// The balancer: product, version, worker pid, node.
    public var balancer: Balancer
    /// The control socket.
    public var socket: String
    /// What was intended: `drain`, `weight 50%`, `undo`…
    public var intent: String
    /// The servers, `backend/server`.
    public var targets: [ServerID]
    /// Warnings shown before sending.
    public var warnings: [String]
    /// The exact command lines sent, with HAProxy's replies.
    public var commands: [CommandExchange]
    /// The servers before.
    public var before: [ActionPlan.ServerState]
    /// The servers after, as last observed.
    public var after: [ActionPlan.ServerState]
    /// True when every expectation was observed before the deadline.
    public var verified: Bool
    /// What was not observed, or the error, in words.
    public var outcome: String
    /// The error code, when the action failed.
    public var error: String?
    /// True for `--dry-run`: nothing was sent.
    public var dryRun: Bool
    /// The attempt's id, shared by its `attempt` and `outcome` records (nil in records older than both).
    public var id: String?
    /// `attempt` (written and fsynced before the first command is sent) or `outcome` (after verification);
    /// nil in older, single-record entries.
    public var phase: String?
    /// In an `attempt` record: the command lines about to be sent.
    public var planned: [String]?
    /// One fleet-wide intent's id, shared by the records of every balancer it was applied on (and of their
    /// rollbacks); nil for an action on one balancer.
    public var intentID: String?
    /// For a route change (maps): each entry before → after (nil for a server action).
    public var routes: [RouteChange]?

    /// True for an `attempt` record.
    public var isAttempt: Bool { phase == "attempt" }

    /// The balancer fields of a record.
    public struct Balancer: Codable, Sendable, Hashable {
        /// `HAProxy`.
        public var product: String
        /// Its version.
        public var version: String
        /// The worker that answered.
        public var pid: Int
        /// The node name.
        public var node: String

        /// Makes the balancer fields.
        public init(product: String, version: String, pid: Int, node: String) {
            self.product = product
            self.version = version
            self.pid = pid
            self.node = node
        }
    }

    /// Makes a record.
    public init(
        time: String, user: String, host: String, via: String, balancer: Balancer, socket: String, intent: String,
        targets: [ServerID], warnings: [String], commands: [CommandExchange], before: [ActionPlan.ServerState],
        after: [ActionPlan.ServerState], verified: Bool, outcome: String, error: String?, dryRun: Bool
    ) {
        self.time = time
        self.user = user
        self.host = host
        self.via = via
        self.balancer = balancer
        self.socket = socket
        self.intent = intent
        self.targets = targets
        self.warnings = warnings
        self.commands = commands
        self.before = before
        self.after = after
        self.verified = verified
        self.outcome = outcome
        self.error = error
        self.dryRun = dryRun
    }

    /// The UTC timestamp format of records: `2026-12-02T06:07:22.547Z`. Foundation's `ISO8601FormatStyle` (from
    /// FoundationEssentials, without ICU): `ISO8601DateFormatter` went through ICU and made a formatter per call.
    public static func timestamp(_ date: Date) -> String {
        // The style truncates to the millisecond; rounded first (and nudged 0.2 ms past the binary fraction's error) so
        // a timestamp read back and written again is the same text.
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        return withFraction.format(Date(timeIntervalSince1970: milliseconds / 1000 + 0.0002))
    }

    /// Reads a record timestamp back (with or without fractional seconds); nil when it is not one.
    public static func date(fromTimestamp text: String) -> Date? {
        (try? withFraction.parse(text)) ?? (try? whole.parse(text))
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()
}
