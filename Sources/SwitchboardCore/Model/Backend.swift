/// One backend (pool) and its servers, as observed in one snapshot. Immutable.
public struct Backend: Sendable, Hashable, Identifiable {
    /// The backend's name.
    public var id: String { name }
    /// The backend's name.
    public var name: String
    /// HAProxy's numeric proxy id (`iid`).
    public var proxyID: Int?
    /// The `status` text of the BACKEND row (`UP`, `DOWN`…).
    public var status: String
    /// The balance algorithm (`roundrobin`, `leastconn`…), when HAProxy reports it.
    public var algorithm: String?
    /// `http` or `tcp`, when reported.
    public var mode: String?
    /// Active servers UP with a non-zero weight (`act` of the BACKEND row).
    public var activeUp: Int
    /// Backup servers UP with a non-zero weight (`bck` of the BACKEND row).
    public var backupUp: Int
    /// Current sessions.
    public var sessions: Int
    /// Session limit (`fullconn`), when reported.
    public var sessionLimit: Int?
    /// Requests per second over the last second.
    public var rate: Int
    /// Requests queued in the backend.
    public var queue: Int
    /// HTTP 5xx responses since start.
    public var http5xx: Int
    /// Average response time in ms, when known.
    public var responseTimeMilliseconds: Int?
    /// Sum of the effective weights of the servers in use.
    public var effectiveWeight: Int
    /// Seconds since the last state change, when known.
    public var lastChangeSeconds: Int?
    /// The servers, in HAProxy's order.
    public var servers: [Server]
    /// Every field of the raw BACKEND row.
    public var fields: StatRecord?

    /// Makes a backend; most callers get backends from ``SnapshotBuilder``.
    public init(
        name: String, proxyID: Int? = nil, status: String, algorithm: String? = nil, mode: String? = nil,
        activeUp: Int = 0, backupUp: Int = 0, sessions: Int = 0, sessionLimit: Int? = nil, rate: Int = 0,
        queue: Int = 0, http5xx: Int = 0, responseTimeMilliseconds: Int? = nil, effectiveWeight: Int = 0,
        lastChangeSeconds: Int? = nil, servers: [Server] = [], fields: StatRecord? = nil
    ) {
        self.name = name
        self.proxyID = proxyID
        self.status = status
        self.algorithm = algorithm
        self.mode = mode
        self.activeUp = activeUp
        self.backupUp = backupUp
        self.sessions = sessions
        self.sessionLimit = sessionLimit
        self.rate = rate
        self.queue = queue
        self.http5xx = http5xx
        self.responseTimeMilliseconds = responseTimeMilliseconds
        self.effectiveWeight = effectiveWeight
        self.lastChangeSeconds = lastChangeSeconds
        self.servers = servers
        self.fields = fields
    }

    /// The non-backup servers.
    public var activeServers: [Server] { servers.filter { !$0.isBackup } }
    /// The `backup` servers.
    public var backupServers: [Server] { servers.filter(\.isBackup) }
    /// True when no active server serves but a backup does: the backend runs on its backups.
    public var runsOnBackups: Bool { activeUp == 0 && backupUp > 0 }
}
