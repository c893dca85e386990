import FoundationEssentials
import SwitchboardCore

/// Plays a ``Scenario`` on a started lab: the setup, the quiet lead, the faults, the users' traffic through a
/// ``TrafficMeter``; it ends when the users' service has recovered (``RecoveryRule``), when time runs out, or
/// when the task is cancelled (the trainee stopped the demo).
public struct ScenarioPlayer: Sendable {
    /// How a play ended.
    public enum Ending: String, Sendable, Hashable, Codable {
        /// The users' service was healthy for the rule's whole window after the fault showed.
        case recovered
        /// The time limit passed first.
        case timeUp = "time-up"
        /// The demo was stopped first.
        case stopped
    }

    /// What the play observed.
    public struct Result: Sendable, Hashable {
        /// When the scenario started (setup applied, users' traffic flowing).
        public var startedAt: Date
        /// When the faults were injected (nil: stopped before).
        public var faultAt: Date?
        /// When it ended.
        public var endedAt: Date
        /// How it ended.
        public var ending: Ending
        /// The users' service, second by second from the start.
        public var seconds: [ServiceSecond]
        /// The second the faults were injected.
        public var faultSecond: Int?
        /// The first second the users were hurt.
        public var hurtSecond: Int?
        /// The first second of the healthy window that made the recovery.
        public var recoveredSecond: Int?
    }

    /// The scenario.
    public let scenario: Scenario
    /// The lab it plays on.
    public let lab: Lab
    /// When the service counts as recovered.
    public let rule: RecoveryRule
    /// How long the trainee has, from the faults.
    public let timeLimit: Duration
    /// Carries out the previous shift's MAINT on `backend/server` through Switchboard (so it is audited).
    public let previousShiftMaint: @Sendable (ServerID) async throws -> Void

    /// Makes a player.
    public init(
        scenario: Scenario, lab: Lab, rule: RecoveryRule, timeLimit: Duration,
        previousShiftMaint: @escaping @Sendable (ServerID) async throws -> Void
    ) {
        self.scenario = scenario
        self.lab = lab
        self.rule = rule
        self.timeLimit = timeLimit
        self.previousShiftMaint = previousShiftMaint
    }

    /// Plays the scenario; `faultsInjected` is called when the incident begins.
    public func play(faultsInjected: @escaping @Sendable (Date) -> Void = { _ in }) async throws -> Result {
        let meter = TrafficMeter()
        let startedAt = Date()
        let clock = ContinuousClock()
        let cap = Duration.seconds(scenario.leadSeconds) + timeLimit + .seconds(5)
        var traffic = [users(rate: scenario.users.rate, meter: meter, cap: cap)]
        var background: [Task<Void, Never>] = []
        defer {
            for task in traffic + background { task.cancel() }
        }
        var result = Result(startedAt: startedAt, endedAt: startedAt, ending: .stopped, seconds: [])
        for fault in scenario.setup { try await apply(fault, traffic: &traffic, background: &background, meter, cap) }
        try? await Task.sleep(for: .seconds(scenario.leadSeconds))
        if Task.isCancelled { return finish(result, meter) }
        let faultSecond = meter.elapsedSeconds
        result.faultSecond = faultSecond
        result.faultAt = Date()
        for fault in scenario.faults { try await apply(fault, traffic: &traffic, background: &background, meter, cap) }
        faultsInjected(result.faultAt!)
        let deadline = clock.now + timeLimit
        while !Task.isCancelled {
            let seconds = meter.completed
            if result.hurtSecond == nil { result.hurtSecond = rule.firstUnhealthy(seconds, from: faultSecond) }
            if let hurt = result.hurtSecond, let recovered = rule.recoveredAt(seconds, from: hurt + 1) {
                result.recoveredSecond = recovered
                result.ending = .recovered
                return finish(result, meter)
            }
            if clock.now >= deadline {
                result.ending = .timeUp
                return finish(result, meter)
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return finish(result, meter)
    }

    private func finish(_ result: Result, _ meter: TrafficMeter) -> Result {
        var result = result
        result.endedAt = Date()
        result.seconds = meter.completed
        return result
    }

    private func users(rate: Int, meter: TrafficMeter, cap: Duration) -> Task<Void, Never> {
        let plan = TrafficGenerator.Plan(
            port: lab.frontendPort, paths: scenario.users.paths, requestsPerSecond: rate, concurrency: 256,
            maxRequests: rate * Int(cap.components.seconds), duration: cap, host: scenario.users.host)
        return Task { _ = await TrafficGenerator(plan: plan, meter: meter).run() }
    }

    private func apply(
        _ fault: Scenario.Fault, traffic: inout [Task<Void, Never>], background: inout [Task<Void, Never>],
        _ meter: TrafficMeter, _ cap: Duration
    ) async throws {
        switch fault {
        case .overload(let servers, let delay, let errorPercent):
            for key in servers { lab.origins[key]?.setBehavior(.overloaded(delay: delay, errorPercent: errorPercent)) }
        case .stopOrigins(let servers):
            for key in servers { await lab.origins[key]?.stop() }
        case .flap(let key, let failing, let healthy):
            guard let origin = lab.origins[key] else { return }
            background.append(
                Task {
                    while !Task.isCancelled {
                        origin.setBehavior(.failing)
                        try? await Task.sleep(for: failing)
                        origin.setBehavior(.healthy)
                        try? await Task.sleep(for: healthy)
                    }
                })
        case .previousShiftMaint(let key):
            guard let id = ServerID(parsing: key) else { return }
            try await previousShiftMaint(id)
        case .reload:
            try await lab.reload()
        case .surge(let rate):
            traffic.append(users(rate: rate, meter: meter, cap: cap))
        }
    }
}
