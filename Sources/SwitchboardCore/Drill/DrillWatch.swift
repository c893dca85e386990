import FoundationEssentials

/// What a drill observes read after read once the failure is injected: where the new sessions go (`lbtot` deltas
/// per server), the backend's 5xx per second, how many servers serve — and whether an abort condition is met.
public struct DrillWatch: Sendable, Hashable {
    /// The drill.
    public let spec: DrillSpec
    /// The servers taken out, by name.
    public let injected: Set<String>
    /// When the injection was verified.
    public let injectedAt: Date
    /// Seconds after the injection until the first new session on an expected server.
    public private(set) var firstOnExpected: Double?
    /// Seconds after the injection until a read's new sessions were ≥ the minimum share on the expected servers.
    public private(set) var shifted: Double?
    /// New sessions since the injection on the expected servers.
    public private(set) var expectedSessions = 0
    /// New sessions since the injection in all.
    public private(set) var totalSessions = 0
    /// 5xx responses of the backend since the injection.
    public private(set) var errors = 0
    /// The highest 5xx per second seen between two reads.
    public private(set) var highestErrorRate = 0.0
    /// The fewest servers seen serving.
    public private(set) var fewestServing: Int
    private var lastTotals: [String: Int]
    private var lastErrors: Int
    private var lastTime: Date
    private var noServerSince: Date?

    /// Starts watching from `backend` as read when the injection was verified.
    public init(spec: DrillSpec, injected: [ServerRef], baseline backend: Backend, at time: Date) {
        self.spec = spec
        self.injected = Set(injected.map(\.server.value))
        injectedAt = time
        lastTotals = Dictionary(backend.servers.map { ($0.name, $0.selectedTotal) }, uniquingKeysWith: { a, _ in a })
        lastErrors = backend.http5xx
        lastTime = time
        fewestServing = backend.servers.filter(\.isServing).count
    }

    /// True for a server that must take the traffic.
    public func isExpected(_ server: Server) -> Bool {
        switch spec.expect {
        case .backups: server.isBackup
        case .remaining: !server.isBackup && !injected.contains(server.name)
        }
    }

    /// Folds in a read; returns the abort reason when an abort condition is met.
    public mutating func observe(_ backend: Backend, at time: Date) -> String? {
        let since = time.timeIntervalSince(injectedAt)
        var windowExpected = 0, windowTotal = 0
        for server in backend.servers {
            let delta = max(0, server.selectedTotal - (lastTotals[server.name] ?? server.selectedTotal))
            lastTotals[server.name] = server.selectedTotal
            windowTotal += delta
            if isExpected(server) { windowExpected += delta }
        }
        expectedSessions += windowExpected
        totalSessions += windowTotal
        if windowExpected > 0 && firstOnExpected == nil { firstOnExpected = since }
        if shifted == nil, windowTotal > 0, Double(windowExpected) * 100 >= spec.minimumShare * Double(windowTotal) {
            shifted = since
        }
        let elapsed = time.timeIntervalSince(lastTime)
        let newErrors = max(0, backend.http5xx - lastErrors)
        errors += newErrors
        let rate = elapsed > 0 ? Double(newErrors) / elapsed : 0
        highestErrorRate = max(highestErrorRate, rate)
        lastErrors = backend.http5xx
        lastTime = time
        let serving = backend.servers.filter(\.isServing).count
        fewestServing = min(fewestServing, serving)
        if let limit = spec.abortErrorRate, rate > limit {
            return String(printf: "5xx at %.1f/s, above the abort limit of %.1f/s", rate, limit)
        }
        if serving == 0 {
            let start = noServerSince ?? time
            noServerSince = start
            if time.timeIntervalSince(start) > spec.abortNoServer {
                return "no server available for \(Int(time.timeIntervalSince(start).rounded())) s "
                    + "(abort after \(spec.abortNoServer) s)"
            }
        } else {
            noServerSince = nil
        }
        return nil
    }
}
