import FoundationEssentials

/// Something that happened on the balancer between two refreshes.
public struct BalancerEvent: Sendable, Hashable, Codable {
    /// How urgent.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case info, warning, critical

        /// Orders by urgency.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.info, .warning, .critical]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable {
        case serverDown = "server-down"
        case serverUp = "server-up"
        case adminChanged = "admin-changed"
        case runningOnBackups = "running-on-backups"
        case backOnActives = "back-on-actives"
        case noServerAvailable = "no-server-available"
        case serverAvailableAgain = "server-available-again"
        case flapping
        case queueGrowing = "queue-growing"
        case errorRate = "error-rate"
        case operatorAction = "operator-action"
        /// A server's weight changed (by anyone, or reset by a reload).
        case weightChanged = "weight-changed"
        /// Health or agent checks were enabled or disabled.
        case checksChanged = "checks-changed"
        /// A server's health changed while its checks are off: someone forced it.
        case healthForced = "health-forced"
        /// The balancer has a new worker (reload or restart).
        case reloaded
        /// The balancer stopped answering (socket gone, refused, timed out).
        case balancerUnreachable = "balancer-unreachable"
        /// The balancer answers again.
        case balancerReachable = "balancer-reachable"
    }

    /// When it was detected (UTC).
    public var time: Date
    /// How urgent.
    public var severity: Severity
    /// What happened.
    public var kind: Kind
    /// The backend.
    public var backend: String
    /// The server, for server events.
    public var server: String?
    /// In words, with HAProxy's check status where it helps.
    public var message: String
    /// The balancer it happened on, when the console watches several (its label).
    public var balancer: String? = nil

    /// Makes an event.
    public init(time: Date, severity: Severity, kind: Kind, backend: String, server: String? = nil, message: String) {
        self.time = time
        self.severity = severity
        self.kind = kind
        self.backend = backend
        self.server = server
        self.message = message
    }
}

/// Finds events by comparing successive snapshots. Keeps a little memory (transition times for
/// flapping, which alarms are raised) so an alarm is reported once, not at every refresh.
public struct EventDetector: Sendable, Hashable {
    /// 5xx per second above which a backend raises an alarm.
    public var errorRateThreshold: Double
    /// Transitions within `flapWindow` that make a server "flapping".
    public var flapTransitions: Int
    /// The flapping window.
    public var flapWindow: TimeInterval
    private var transitions: [ServerID: [Date]] = [:]
    private var raised: Set<String> = []
    private var queueRises: [String: Int] = [:]

    /// Makes a detector.
    public init(errorRateThreshold: Double = 5, flapTransitions: Int = 3, flapWindow: TimeInterval = 60) {
        self.errorRateThreshold = errorRateThreshold
        self.flapTransitions = flapTransitions
        self.flapWindow = flapWindow
    }

    /// Positions (now, before) of the servers whose compared state may differ, matched by name: by position
    /// first (servers keep their places between refreshes), by a name lookup only where they moved. Read in
    /// place through buffer pointers: copying a server out of an array retains each of its strings, and this
    /// runs for every server of every balancer on every refresh.
    static func changedPairs(_ before: [Server], _ now: [Server]) -> [(Int, Int)] {
        before.withUnsafeBufferPointer { was in
            now.withUnsafeBufferPointer { current in
                // The same storage: a backend the selective poll did not read again (every backend but the one
                // on screen, most seconds, at 10,000 servers) has nothing to compare.
                if was.baseAddress == current.baseAddress && was.count == current.count { return [] }
                var pairs: [(Int, Int)] = []
                var lookup = PositionalLookup()
                for position in current.indices {
                    guard
                        let wasIndex = lookup.index(
                            of: current[position].name, at: position, count: was.count, nameAt: { was[$0].name })
                    else { continue }
                    if mayDiffer(was, wasIndex, current, position) { pairs.append((position, wasIndex)) }
                }
                return pairs
            }
        }
    }

    /// False when nothing an event looks at changed between two reads of a server — read field by field in
    /// place (passing the servers by value copied each, retaining every one of its strings).
    static func mayDiffer(
        _ was: UnsafeBufferPointer<Server>, _ wasIndex: Int, _ now: UnsafeBufferPointer<Server>, _ index: Int
    ) -> Bool {
        was[wasIndex].health != now[index].health || was[wasIndex].weight != now[index].weight
            || was[wasIndex].admin.mode != now[index].admin.mode
            || was[wasIndex].checksEnabled != now[index].checksEnabled
            || was[wasIndex].agentEnabled != now[index].agentEnabled
    }

    /// The events between `previous` and `current`; `errorRates` are 5xx per second by backend name.
    public mutating func detect(
        previous: BalancerSnapshot?, current: BalancerSnapshot, at time: Date, errorRates: [String: Double] = [:]
    ) -> [BalancerEvent] {
        guard let previous else { return [] }
        var events: [BalancerEvent] = []
        let reloaded = previous.info.pid != current.info.pid
        if reloaded {
            raised = []  // new worker: states start over
            events.append(
                .init(
                    time: time, severity: .warning, kind: .reloaded, backend: "",
                    message: "balancer reloaded (pid \(previous.info.pid) → \(current.info.pid)): runtime changes not "
                        + "in a server-state file are lost"))
        }
        for backend in current.backends {
            guard let before = previous.backend(named: backend.name) else { continue }
            // Servers usually keep their positions between refreshes: compare by position, look names up only
            // where they moved (no copy of every server into a dictionary, no string built per server).
            for (position, wasIndex) in Self.changedPairs(before.servers, backend.servers) {
                let was = before.servers[wasIndex], server = backend.servers[position]
                let checked =
                    server.check.map {
                        " (\([$0.status, $0.description].filter { !$0.isEmpty }.joined(separator: ": ")))"
                    } ?? ""
                if was.health != .down && server.health == .down && server.admin.mode != .maint
                    && was.admin.mode != .maint
                {
                    events.append(
                        .init(
                            time: time, severity: .critical, kind: .serverDown, backend: backend.name,
                            server: server.name,
                            message: "\(server.id) DOWN\(checked)"))
                    noteTransition(server.id, at: time, &events, backend: backend.name, server: server.name)
                } else if was.health == .down && server.health == .up && server.admin.mode != .maint
                    && server.check?.status.hasPrefix("INI") != true
                {
                    // A new worker's INI state is an assumption until its first check: not reported as UP.
                    events.append(
                        .init(
                            time: time, severity: .info, kind: .serverUp, backend: backend.name, server: server.name,
                            message: "\(server.id) UP\(checked)"))
                    noteTransition(server.id, at: time, &events, backend: backend.name, server: server.name)
                }
                if was.weight != server.weight {
                    events.append(
                        .init(
                            time: time, severity: server.weight < was.weight ? .warning : .info, kind: .weightChanged,
                            backend: backend.name, server: server.name,
                            message: "\(server.id) weight \(was.weight) → \(server.weight)"))
                }
                for (what, before, now) in [
                    ("health checks", was.checksEnabled, server.checksEnabled),
                    ("agent check", was.agentEnabled, server.agentEnabled),
                ] where before != now {
                    events.append(
                        .init(
                            time: time, severity: .warning, kind: .checksChanged, backend: backend.name,
                            server: server.name, message: "\(server.id) \(what) \(now ? "enabled" : "disabled")"))
                }
                if !was.checksEnabled && !server.checksEnabled && was.health.letsServe != server.health.letsServe
                    && was.admin.mode != .maint && server.admin.mode != .maint
                {
                    events.append(
                        .init(
                            time: time, severity: server.health.letsServe ? .info : .warning, kind: .healthForced,
                            backend: backend.name, server: server.name,
                            message:
                                "\(server.id) health forced \(server.health.letsServe ? "up" : "down") (checks are off)"
                        ))
                }
                if was.admin.mode != server.admin.mode {
                    events.append(
                        .init(
                            time: time, severity: server.admin.mode == .ready ? .info : .warning, kind: .adminChanged,
                            backend: backend.name, server: server.name,
                            message: "\(server.id) admin \(was.admin.mode.rawValue) → \(server.admin.mode.rawValue)"))
                }
            }
            let hadNone = before.activeUp == 0 && before.backupUp == 0 && !before.servers.isEmpty
            let hasNone = backend.activeUp == 0 && backend.backupUp == 0 && !backend.servers.isEmpty
            if hasNone && !hadNone {
                events.append(
                    .init(
                        time: time, severity: .critical, kind: .noServerAvailable, backend: backend.name,
                        message: "\(backend.name) has no server available: clients get 503"))
            } else if hadNone && !hasNone {
                events.append(
                    .init(
                        time: time, severity: .info, kind: .serverAvailableAgain, backend: backend.name,
                        message: "\(backend.name) has a server available again"))
            }
            if backend.runsOnBackups && !before.runsOnBackups {
                events.append(
                    .init(
                        time: time, severity: .critical, kind: .runningOnBackups, backend: backend.name,
                        message: "\(backend.name) lost all active servers and runs on \(backend.backupUp) backup(s)"
                            + Self.firstBackupOnly(backend)))
            } else if before.runsOnBackups && !backend.runsOnBackups && backend.activeUp > 0 {
                events.append(
                    .init(
                        time: time, severity: .info, kind: .backOnActives, backend: backend.name,
                        message: "\(backend.name) is back on \(backend.activeUp) active server(s)"))
            }
            let queueKey = "queue:\(backend.name)"
            if backend.queue > before.queue && backend.queue > 0 {
                queueRises[backend.name, default: 0] += 1
                if queueRises[backend.name, default: 0] >= 2 && raised.insert(queueKey).inserted {
                    events.append(
                        .init(
                            time: time, severity: .warning, kind: .queueGrowing, backend: backend.name,
                            message: "\(backend.name) queue growing: \(before.queue) → \(backend.queue)"))
                }
            } else if backend.queue == 0 {
                queueRises[backend.name] = 0
                raised.remove(queueKey)
            }
            let errorKey = "5xx:\(backend.name)"
            let rate = errorRates[backend.name] ?? 0
            if rate > errorRateThreshold {
                if raised.insert(errorKey).inserted {
                    events.append(
                        .init(
                            time: time, severity: .warning, kind: .errorRate, backend: backend.name,
                            message: String(
                                printf: "\(backend.name) 5xx at %.1f/s (threshold %.0f/s)", rate, errorRateThreshold)))
                }
            } else if rate < errorRateThreshold / 2 {
                raised.remove(errorKey)
            }
        }
        return events
    }

    private mutating func noteTransition(
        _ id: ServerID, at time: Date, _ events: inout [BalancerEvent], backend: String, server: String
    ) {
        var times = transitions[id, default: []].filter { time.timeIntervalSince($0) <= flapWindow }
        times.append(time)
        transitions[id] = times
        if times.count >= flapTransitions, raised.insert("flap:\(id)").inserted {
            events.append(
                .init(
                    time: time, severity: .warning, kind: .flapping, backend: backend, server: server,
                    message: "\(id) flapping: \(times.count) transitions in \(Int(flapWindow)) s"))
        } else if times.count < flapTransitions {
            raised.remove("flap:\(id)")
        }
    }

    /// ` — only b1 takes traffic (no option allbackups)` when that is what HAProxy's BACKEND weight says.
    static func firstBackupOnly(_ backend: Backend) -> String {
        guard let used = FailoverPlanner.backupsInUse(backend), used.count == 1,
            backend.backupServers.filter(\.isServing).count > 1
        else { return "" }
        return " — only \(used[0].name) takes traffic (no option allbackups)"
    }
}
