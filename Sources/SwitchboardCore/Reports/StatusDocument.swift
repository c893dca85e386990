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
        public var product: String
        public var version: String
        public var pid: Int
        public var uptimeSeconds: Int
        public var node: String
        public var socket: String
        public var level: String
        public var stopping: Bool
    }

    /// One frontend.
    public struct FrontendEntry: Codable, Sendable, Hashable {
        public var name: String
        public var status: String
        public var sessions: Int
        public var sessionLimit: Int?
        public var rate: Int
    }

    /// One backend.
    public struct BackendEntry: Codable, Sendable, Hashable {
        public var name: String
        public var status: String
        public var algorithm: String?
        public var activeUp: Int
        public var backupUp: Int
        public var sessions: Int
        public var rate: Int
        public var queue: Int
        public var http5xx: Int
        public var servers: [ServerEntry]
    }

    /// One server.
    public struct ServerEntry: Codable, Sendable, Hashable {
        public var name: String
        public var address: String
        public var status: String
        public var admin: String
        public var adminInherited: Bool
        public var health: String
        public var check: String?
        public var checkInProgress: Bool
        public var agent: String?
        public var weight: Int
        public var initialWeight: Int?
        public var effectiveWeight: Int
        public var backup: Bool
        public var sessions: Int
        public var sessionLimit: Int?
        public var rate: Int
        public var queue: Int
        public var http5xx: Int
        public var responseTimeMs: Int?
        public var lastChangeSeconds: Int?
    }

    /// Builds the document from a snapshot, optionally keeping one backend only.
    public init(snapshot: BalancerSnapshot, backend: String? = nil) {
        let info = snapshot.info
        balancer = Balancer(
            product: info.product, version: info.version, pid: info.pid, uptimeSeconds: info.uptimeSeconds,
            node: info.node, socket: info.socket, level: info.level.rawValue, stopping: info.stopping)
        frontends = snapshot.frontends.map {
            FrontendEntry(name: $0.name, status: $0.status, sessions: $0.sessions, sessionLimit: $0.sessionLimit, rate: $0.rate)
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
