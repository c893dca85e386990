/// The stable JSON shape of `switchboard status --json` (schema 1).
///
/// Keys are only ever added within a schema version; `status` is HAProxy's own text, `admin` is
/// `ready|drain|maint`, `health` is `up|down|stopping|starting|unknown`.
public struct StatusDocument: Codable, Sendable, Hashable {
    /// The schema version; bumped only on incompatible changes.
    public var schema = 1
    /// The balancer.
    public var balancer: Balancer
    /// Frontends.
    public var frontends: [FrontendEntry]
    /// Backends with their servers.
    public var backends: [BackendEntry]

    /// `balancer` object.
    public struct Balancer: Codable, Sendable, Hashable {
        /// The product name, e.g. `HAProxy`.
        public var product: String
        /// The balancer version.
        public var version: String
        /// The worker pid that answered.
        public var pid: Int
        /// Seconds since that worker started.
        public var uptimeSeconds: Int
        /// The node (host) name.
        public var node: String
        /// The control socket used.
        public var socket: String
        /// The socket access level: `user`, `operator` or `admin`.
        public var level: String
        /// True on an old worker after a reload.
        public var stopping: Bool
        /// `show stat` records dropped as damaged (the snapshot is partial when above 0).
        public var droppedRecords: Int = 0
    }

    /// One frontend.
    public struct FrontendEntry: Codable, Sendable, Hashable {
        /// The name.
        public var name: String
        /// HAProxy's status text, as sent.
        public var status: String
        /// Current sessions.
        public var sessions: Int
        /// The session limit, null when unlimited.
        public var sessionLimit: Int?
        /// Sessions (requests for HTTP) per second.
        public var rate: Int
    }

    /// One backend.
    public struct BackendEntry: Codable, Sendable, Hashable {
        /// The name.
        public var name: String
        /// HAProxy's status text, as sent.
        public var status: String
        /// The balance algorithm, when reported.
        public var algorithm: String?
        /// Active servers UP with weight > 0.
        public var activeUp: Int
        /// Backup servers UP with weight > 0.
        public var backupUp: Int
        /// Current sessions.
        public var sessions: Int
        /// Sessions (requests for HTTP) per second.
        public var rate: Int
        /// Queued requests.
        public var queue: Int
        /// HTTP 5xx responses since start.
        public var http5xx: Int
        /// The servers, in HAProxy's order.
        public var servers: [ServerEntry]
    }

    /// One server.
    public struct ServerEntry: Codable, Sendable, Hashable {
        /// The name.
        public var name: String
        /// `ip:port`; empty on a `user` socket.
        public var address: String
        /// HAProxy's status text, as sent.
        public var status: String
        /// `ready`, `drain` or `maint`.
        public var admin: String
        /// True when the admin state comes from a tracked server.
        public var adminInherited: Bool
        /// `up`, `down`, `stopping`, `starting` or `unknown`.
        public var health: String
        /// The last health check status (`L7OK`, `L4CON`…), null without checks.
        public var check: String?
        /// True while a check runs (`* ` prefix).
        public var checkInProgress: Bool
        /// The last agent check status, null without an agent.
        public var agent: String?
        /// The user weight (`srv_uweight`).
        public var weight: Int
        /// The config weight.
        public var initialWeight: Int?
        /// The weight HAProxy uses now (stale in MAINT).
        public var effectiveWeight: Int
        /// True for a `backup` server.
        public var backup: Bool
        /// Current sessions.
        public var sessions: Int
        /// The session limit, null when unlimited.
        public var sessionLimit: Int?
        /// Sessions (requests for HTTP) per second.
        public var rate: Int
        /// Queued requests.
        public var queue: Int
        /// HTTP 5xx responses since start.
        public var http5xx: Int
        /// Average response time in ms, when known.
        public var responseTimeMs: Int?
        /// Seconds since the last state change.
        public var lastChangeSeconds: Int?
    }

    /// Builds the document from a snapshot, optionally keeping one backend only.
    public init(snapshot: BalancerSnapshot, backend: String? = nil) {
        let info = snapshot.info
        balancer = Balancer(
            product: info.product, version: info.version, pid: info.pid, uptimeSeconds: info.uptimeSeconds,
            node: info.node, socket: info.socket, level: info.level.rawValue, stopping: info.stopping,
            droppedRecords: snapshot.droppedRecords)
        frontends = snapshot.frontends.map {
            FrontendEntry(
                name: $0.name, status: $0.status, sessions: $0.sessions, sessionLimit: $0.sessionLimit, rate: $0.rate)
        }
        backends = snapshot.backends.filter { backend == nil || $0.name == backend }.map { backend in
            BackendEntry(
                name: backend.name, status: backend.status, algorithm: backend.algorithm, activeUp: backend.activeUp,
                backupUp: backend.backupUp, sessions: backend.sessions, rate: backend.rate, queue: backend.queue,
                http5xx: backend.http5xx,
                servers: backend.servers.map { server in
                    ServerEntry(
                        name: server.name, address: server.address, status: server.status.text,
                        admin: server.admin.mode.rawValue, adminInherited: server.admin.inherited,
                        health: server.health.rawValue, check: server.check?.status.nonEmptyOrNil,
                        checkInProgress: server.check?.inProgress ?? false, agent: server.agent?.status.nonEmptyOrNil,
                        weight: server.weight, initialWeight: server.initialWeight,
                        effectiveWeight: server.effectiveWeight, backup: server.isBackup, sessions: server.sessions,
                        sessionLimit: server.sessionLimit, rate: server.rate, queue: server.queue,
                        http5xx: server.http5xx, responseTimeMs: server.responseTimeMilliseconds,
                        lastChangeSeconds: server.lastChangeSeconds)
                })
        }
    }
}

extension String {
    var nonEmptyOrNil: String? { isEmpty ? nil : self }
}
