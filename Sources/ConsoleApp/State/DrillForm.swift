import FoundationEssentials
import SwitchboardCore

/// The console's drill dialog on the selected backend: the injection (Tab cycles it), the time the backups (or
/// the servers left) have to take the traffic (+/-), and the backend's name typed to run it — a drill takes
/// servers out on purpose. The drill it describes is what `switchboard drill BACKEND --inject … --within …` runs.
public struct DrillForm: Sendable, Hashable {
    /// The backend drilled.
    public var backend: String
    /// The balancer it runs on (the one in focus).
    public var balancer: BalancerID
    /// How the active servers are taken out.
    public var injection: DrillSpec.Injection = .healthDown
    /// Who must take the traffic: the backups when the backend has any, else the servers left in.
    public var expect: DrillSpec.Expectation
    /// Seconds within which they must take it (5–60).
    public var withinSeconds = 10
    /// The backend's name as typed so far.
    public var typed = ""

    /// A form for `backend` as `snapshot` shows it.
    public init(backend: Backend, balancer: BalancerID) {
        self.backend = backend.name
        self.balancer = balancer
        self.expect = backend.backupServers.isEmpty ? .remaining : .backups
    }

    /// The drill: with the servers left in, one active server is taken out; the failure lasts `within` + 10 s.
    public var spec: DrillSpec {
        var spec = DrillSpec(
            backend: backend, injection: injection, count: expect == .remaining ? 1 : nil, expect: expect)
        spec.within = Double(withinSeconds)
        spec.duration = Double(withinSeconds + 10)
        return spec
    }

    /// The next injection in the list (Tab).
    public mutating func nextInjection() {
        let all = DrillSpec.Injection.allCases
        injection = all[((all.firstIndex(of: injection) ?? 0) + 1) % all.count]
    }

    /// The equivalent command line, for the runbook.
    public var commandLine: String {
        "switchboard drill \(backend) --inject \(injection.rawValue) --expect \(expect.rawValue)"
            + (expect == .remaining ? " --count 1" : "")
            + " --within \(withinSeconds)s --duration \(withinSeconds + 10)s"
    }
}

/// A drill running from the console: which backend on which balancer, since when, and its last progress line.
public struct RunningDrill: Sendable, Hashable {
    /// The backend drilled.
    public var backend: String
    /// The balancer.
    public var balancer: BalancerID
    /// When it started.
    public var started: Date
    /// The runner's last progress line.
    public var lastLine: String
    /// True once a stop was asked for (it restores, then reports).
    public var stopping = false

    /// Makes the running state.
    public init(backend: String, balancer: BalancerID, started: Date, lastLine: String) {
        self.backend = backend
        self.balancer = balancer
        self.started = started
        self.lastLine = lastLine
    }
}
