/// One server of a backend, as observed in one snapshot. Immutable.
public struct Server: Sendable, Hashable, Identifiable {
    /// Backend and name, unique within a balancer.
    public var id: ServerID { ServerID(backend: backend, name: name) }
    /// The server's name.
    public var name: String
    /// The name of the backend it belongs to.
    public var backend: String
    /// HAProxy's numeric server id (`sid`), when known.
    public var serverID: Int?
    /// `ip:port`; empty on a `user` socket, where HAProxy blanks it in `show stat`.
    public var address: String
    /// True for a `backup` server.
    public var isBackup: Bool
    /// HAProxy's status text, parsed.
    public var status: ServerStatus
    /// Administrative state (ready / drain / maint) and its origin.
    public var admin: AdminState
    /// Operational health.
    public var health: Health
    /// The latest health check, or nil when checks are not configured.
    public var check: CheckResult?
    /// The latest agent check, or nil when no agent is configured.
    public var agent: CheckResult?
    /// True when health checks are configured and enabled (false for `no check` or `disable health`).
    public var checksEnabled: Bool
    /// True when an agent check is configured and enabled.
    public var agentEnabled: Bool
    /// The weight the operator set (`uweight` / `srv_uweight`); does not go stale in MAINT.
    public var weight: Int
    /// The weight from the config (`srv_iweight`), when known.
    public var initialWeight: Int?
    /// The effective weight HAProxy uses right now (`weight` in `show stat`; stale in MAINT).
    public var effectiveWeight: Int
    /// Current sessions.
    public var sessions: Int
    /// Highest sessions seen.
    public var maxSessions: Int
    /// The session limit (`maxconn`), nil when unlimited.
    public var sessionLimit: Int?
    /// Sessions (requests for HTTP) per second over the last second.
    public var rate: Int
    /// Requests waiting in this server's queue.
    public var queue: Int
    /// HTTP 5xx responses since start (a counter; rates come from two snapshots).
    public var http5xx: Int
    /// Average response time in ms over the last 1024 requests, when known.
    public var responseTimeMilliseconds: Int?
    /// Times the server was selected by load balancing (`lbtot`).
    public var selectedTotal: Int
    /// Seconds since the last state change, when known.
    public var lastChangeSeconds: Int?
    /// The server this one tracks (`tracked`), if any.
    public var tracks: String?
    /// Every field of the raw `show stat` row, for the detail pane.
    public var fields: StatRecord?

    /// Makes a server; most callers get servers from ``SnapshotBuilder``.
    public init(
        name: String, backend: String, serverID: Int? = nil, address: String = "", isBackup: Bool = false,
        status: ServerStatus, admin: AdminState, health: Health, check: CheckResult? = nil,
        agent: CheckResult? = nil, checksEnabled: Bool = true, agentEnabled: Bool = false, weight: Int,
        initialWeight: Int? = nil, effectiveWeight: Int? = nil, sessions: Int = 0, maxSessions: Int = 0,
        sessionLimit: Int? = nil, rate: Int = 0, queue: Int = 0, http5xx: Int = 0,
        responseTimeMilliseconds: Int? = nil, selectedTotal: Int = 0, lastChangeSeconds: Int? = nil,
        tracks: String? = nil, fields: StatRecord? = nil
    ) {
        self.name = name
        self.backend = backend
        self.serverID = serverID
        self.address = address
        self.isBackup = isBackup
        self.status = status
        self.admin = admin
        self.health = health
        self.check = check
        self.agent = agent
        self.checksEnabled = checksEnabled
        self.agentEnabled = agentEnabled
        self.weight = weight
        self.initialWeight = initialWeight
        self.effectiveWeight = effectiveWeight ?? weight
        self.sessions = sessions
        self.maxSessions = maxSessions
        self.sessionLimit = sessionLimit
        self.rate = rate
        self.queue = queue
        self.http5xx = http5xx
        self.responseTimeMilliseconds = responseTimeMilliseconds
        self.selectedTotal = selectedTotal
        self.lastChangeSeconds = lastChangeSeconds
        self.tracks = tracks
        self.fields = fields
    }

    /// True when the server can take new load-balanced traffic: ready, healthy and weight above 0.
    public var isServing: Bool {
        admin.mode == .ready && (health == .up || health == .starting) && weight > 0
    }
}
