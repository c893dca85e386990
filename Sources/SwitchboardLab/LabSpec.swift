import SwitchboardCore

/// What a lab balancer looks like: its backends and servers. Rendered to a haproxy.cfg by ``HAProxyConfig``.
///
/// The same specs serve `switchboard demo`, the integration tests and the fixture recorder.
public struct LabSpec: Sendable, Hashable {
    /// The backends, in config order.
    public var backends: [Backend]
    /// Health-check interval in milliseconds (`inter`).
    public var checkIntervalMilliseconds: Int
    /// Checks needed to go DOWN (`fall`).
    public var fall: Int
    /// Checks needed to come back UP (`rise`).
    public var rise: Int
    /// `hard-stop-after` in seconds: how long an old worker may live after a reload.
    public var hardStopAfterSeconds: Int
    /// Extra lines for the `global` section.
    public var globalLines: [String]
    /// Load servers' runtime state from a server-state file on start and reload (the lab saves it just
    /// before a reload, as operators' reload scripts do); without it a reload forgets every runtime change.
    public var serverStateFile = false
    /// Host routes through a map (`<dir>/hosts.map`, looked up by the Host header before the path rules), as
    /// configurations route with maps; empty: no map.
    public var routes: [Route] = []

    /// One entry of the lab's host map: requests for `host` go to `backend`.
    public struct Route: Sendable, Hashable {
        /// The Host header's name (lower case, without port).
        public var host: String
        /// The backend it routes to.
        public var backend: String

        /// Makes a route.
        public init(host: String, backend: String) {
            self.host = host
            self.backend = backend
        }
    }

    /// Makes a spec.
    public init(
        backends: [Backend], checkIntervalMilliseconds: Int = 1000, fall: Int = 2, rise: Int = 2,
        hardStopAfterSeconds: Int = 3, globalLines: [String] = []
    ) {
        self.backends = backends
        self.checkIntervalMilliseconds = checkIntervalMilliseconds
        self.fall = fall
        self.rise = rise
        self.hardStopAfterSeconds = hardStopAfterSeconds
        self.globalLines = globalLines
    }

    /// One backend section.
    public struct Backend: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// `balance` algorithm.
        public var balance: String
        /// `option allbackups`.
        public var allBackups: Bool
        /// Its servers.
        public var servers: [Server]

        /// Makes a backend.
        public init(name: String, balance: String = "roundrobin", allBackups: Bool = false, servers: [Server]) {
            self.name = name
            self.balance = balance
            self.allBackups = allBackups
            self.servers = servers
        }
    }

    /// Where a server points.
    public enum Target: Sendable, Hashable {
        /// A demo origin started by the lab (one per server).
        case origin
        /// A port where nothing listens, so the server is DOWN (L4CON).
        case closedPort
        /// One of a few origins shared by many servers (large labs).
        case sharedOrigin(Int)
    }

    /// One `server` line.
    public struct Server: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// Where it points.
        public var target: Target
        /// `weight`.
        public var weight: Int
        /// `backup`.
        public var backup: Bool
        /// `check` (health checks).
        public var check: Bool
        /// An agent check answering this text (e.g. `up`), or nil for none.
        public var agentReply: String?
        /// `disabled` in the config (starts in MAINT).
        public var disabled: Bool
        /// `track BACKEND/SERVER`.
        public var track: String?
        /// `maxconn`.
        public var maxConnections: Int?
        /// A `cookie` value. Free text: `show stat` writes it quoted when it holds `,` or `"`.
        public var cookie: String?

        /// Makes a server line.
        public init(
            _ name: String, target: Target = .origin, weight: Int = 100, backup: Bool = false, check: Bool = true,
            agentReply: String? = nil, disabled: Bool = false, track: String? = nil, maxConnections: Int? = nil,
            cookie: String? = nil
        ) {
            self.cookie = cookie
            self.name = name
            self.target = target
            self.weight = weight
            self.backup = backup
            self.check = check
            self.agentReply = agentReply
            self.disabled = disabled
            self.track = track
            self.maxConnections = maxConnections
        }
    }
}

extension LabSpec {
    /// A large lab: `backends` backends of `serversPerBackend` servers (`be_001/s0001`…), checked every
    /// `checkIntervalMilliseconds`, spread over `origins` shared origins.
    public static func large(
        backends: Int, serversPerBackend: Int, origins: Int = 16, checkIntervalMilliseconds: Int = 2000,
        checks: Bool = true
    ) -> LabSpec {
        var index = 0
        let list = (1...backends).map { backend in
            Backend(
                name: String(printf: "be_%03ld", backend), balance: "roundrobin",
                servers: (1...serversPerBackend).map { server in
                    index += 1
                    return Server(
                        String(printf: "s%04ld", server), target: .sharedOrigin(index % origins), check: checks)
                })
        }
        return LabSpec(backends: list, checkIntervalMilliseconds: checkIntervalMilliseconds, fall: 3, rise: 2)
    }

    /// The demo balancer: a web pool with a backup and `allbackups`, a `leastconn` API pool with uneven
    /// weights, and a legacy pool with one server DOWN.
    public static let demo = LabSpec(backends: [
        Backend(
            name: "be_web", balance: "roundrobin", allBackups: true,
            servers: [
                Server("web1", cookie: "eu,west \"1\""), Server("web2"), Server("web3"), Server("web4"),
                Server("web-bk1", backup: true), Server("web-bk2", backup: true),
            ]),
        Backend(
            name: "be_api", balance: "leastconn",
            servers: [Server("api1", weight: 100), Server("api2", weight: 50), Server("api3", weight: 10)]),
        Backend(
            name: "be_legacy", balance: "roundrobin",
            servers: [Server("legacy1"), Server("legacy2", target: .closedPort)]),
    ])

    /// The demo balancer with host routes through a map — `www.example` → be_web, `api.example` → be_api — and a
    /// standby pool `be_standby` (two servers) that no route uses yet: the routes' failover target.
    public static let routed: LabSpec = {
        var spec = demo
        spec.backends.append(Backend(name: "be_standby", servers: [Server("standby1"), Server("standby2")]))
        spec.routes = [Route(host: "www.example", backend: "be_web"), Route(host: "api.example", backend: "be_api")]
        return spec
    }()

    /// What `switchboard demo` runs: the routed demo balancer (host map and standby pool) with session limits (`maxconn` 8 on the web servers; 4, 3
    /// and 2 on the API servers), so that with ``demoTrafficPaths``' slow requests sessions, load bars and queues
    /// move on screen.
    public static let liveDemo: LabSpec = {
        var spec = routed
        let limits = [
            "web1": 8, "web2": 8, "web3": 8, "web4": 8, "web-bk1": 8, "web-bk2": 8, "api1": 4, "api2": 3, "api3": 2,
        ]
        for b in spec.backends.indices {
            for s in spec.backends[b].servers.indices {
                spec.backends[b].servers[s].maxConnections = limits[spec.backends[b].servers[s].name]
            }
        }
        return spec
    }()

    /// The demo's request mix (taken in turn): quick pages, slow pages held 0.6–2 s by the origins (so servers hold
    /// sessions), API calls with slow ones that fill the API servers' small limits, a legacy page and a 500.
    public static let demoTrafficPaths = [
        "/be_web/", "/be_web/page", "/be_web/slow-1200", "/be_api/v1", "/be_web/slow-600", "/be_api/v1/slow-2000",
        "/be_web/", "/be_legacy/", "/be_api/v1/err", "/be_web/slow-1500",
    ]

    /// Every row shape the parsers must handle, for recording fixtures: a backup, a DOWN server
    /// (L4CON), a config-disabled server, a tracking server in MAINT via its tracked server, a server
    /// with no check, agent checks, and uneven weights.
    public static let fixtures = LabSpec(
        backends: [
            Backend(
                name: "be_app", balance: "roundrobin", allBackups: true,
                servers: [
                    Server("app1", agentReply: "up"), Server("app2", weight: 50), Server("app3", target: .closedPort),
                    Server("app4", disabled: true), Server("app5", check: false), Server("app6", agentReply: "up"),
                    Server("app-bk", backup: true),
                ]),
            Backend(
                name: "be_track", servers: [Server("t1", track: "be_app/app4"), Server("t2")]),
            Backend(
                name: "be_static", balance: "static-rr",
                servers: [Server("s1", weight: 10), Server("s2", weight: 30, maxConnections: 50)]),
        ], fall: 3)
}
