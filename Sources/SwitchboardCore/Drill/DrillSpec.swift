import FoundationEssentials

/// A failover drill on one backend: what is injected through the Runtime API (the servers themselves are never
/// touched), the steady-state hypothesis checked before, during and after, and the abort conditions — the shape
/// chaos tools give an experiment, in HAProxy's terms.
public struct DrillSpec: Sendable, Hashable, Codable {
    /// How the active servers are taken out.
    public enum Injection: String, Sendable, Hashable, Codable, CaseIterable {
        /// Health checks disabled, health forced down (what a dead server looks like to HAProxy).
        case healthDown = "health-down"
        /// Agent checks forced down.
        case agentDown = "agent-down"
        /// Maintenance.
        case maint
        /// Weight 0 (UP but picked by nobody).
        case weightZero = "weight-0"
    }

    /// Who must take the traffic.
    public enum Expectation: String, Sendable, Hashable, Codable, CaseIterable {
        /// The backup servers.
        case backups
        /// The active servers left out of the injection.
        case remaining
    }

    /// The backend drilled.
    public var backend: String
    /// The injection.
    public var injection: Injection
    /// How many active servers are taken out (nil: every serving one).
    public var count: Int?
    /// Who must take the new sessions.
    public var expect: Expectation
    /// Seconds within which they must take ``minimumShare`` of the new sessions.
    public var within: Double = 10
    /// Seconds the injection lasts (at least ``within``).
    public var duration: Double = 20
    /// Percent of the new sessions the expected servers must take.
    public var minimumShare: Double = 95
    /// Hypothesis: the backend's 5xx per second stays at or below this.
    public var maximumErrorRate: Double = 5
    /// Hypothesis: at least this many servers serve throughout.
    public var minimumServing: Int = 1
    /// Abort when the backend's 5xx per second goes above this (nil: never).
    public var abortErrorRate: Double?
    /// Abort when no server is available for longer than this many seconds.
    public var abortNoServer: Double = 5
    /// Seconds between two reads while the drill runs.
    public var pollInterval: Double = 0.5
    /// Hypothesis: this URL (usually through the frontend) answers 2xx before, during and after (nil: no probe).
    public var probe: DrillProbe?
    /// Abort when the probe has failed (no 2xx) for longer than this many seconds.
    public var abortProbe: Double = 5

    /// Makes a drill.
    public init(backend: String, injection: Injection, count: Int? = nil, expect: Expectation) {
        self.backend = backend
        self.injection = injection
        self.count = count
        self.expect = expect
    }

    /// The problem with these values, if any (checked before anything connects).
    public func problem() -> String? {
        if (try? ObjectName(backend, kind: "backend")) == nil { return "'\(backend)' is not a valid backend name" }
        if let count, !(1...10_000).contains(count) { return "--count takes 1–10000" }
        if !(0.5...3_600).contains(within) { return "--within takes 0.5–3600 seconds" }
        if !(within...86_400).contains(duration) { return "--duration takes --within (\(within) s) to 86400 seconds" }
        if !(1...100).contains(minimumShare) { return "--min-share takes 1–100 (%)" }
        if !(0...1_000_000).contains(maximumErrorRate) { return "--max-5xx takes 0–1000000 per second" }
        if !(0...10_000).contains(minimumServing) { return "--min-serving takes 0–10000" }
        if let abortErrorRate, !(0...1_000_000).contains(abortErrorRate) {
            return "--abort-5xx takes 0–1000000 per second"
        }
        if !(0.5...3_600).contains(abortNoServer) { return "--abort-no-server takes 0.5–3600 seconds" }
        if !(0.1...10).contains(pollInterval) { return "the poll interval takes 0.1–10 seconds" }
        if !(0.5...3_600).contains(abortProbe) { return "--abort-probe takes 0.5–3600 seconds" }
        return nil
    }

    /// The servers the drill takes out: the first ``count`` serving active servers (all of them by default).
    public func injected(in backend: Backend) throws -> [ServerRef] {
        let serving = backend.activeServers.filter(\.isServing)
        let wanted = count ?? serving.count
        guard !serving.isEmpty else {
            throw SwitchboardError(.invalidValue, "\(backend.name) has no active server serving: nothing to drill")
        }
        guard wanted <= serving.count else {
            throw SwitchboardError(
                .invalidValue, "--count \(wanted): \(backend.name) has \(serving.count) active server(s) serving")
        }
        if expect == .remaining && wanted == serving.count {
            throw SwitchboardError(
                .invalidValue,
                "--expect remaining needs active servers left serving: take out fewer than \(serving.count) (--count)")
        }
        if expect == .backups && backend.backupServers.isEmpty {
            throw SwitchboardError(
                .invalidValue, "\(backend.name) has no backup server: --expect remaining, or add one")
        }
        return try serving.prefix(wanted).map { try ServerRef(backend: backend.name, server: $0.name) }
    }

    /// The intent that injects the failure on `targets`.
    public func intent(_ targets: [ServerRef]) -> ActionIntent {
        switch injection {
        case .healthDown:
            ActionIntent(targets: targets, operation: .forceHealth(up: false), disableChecksFirst: true)
        case .agentDown: ActionIntent(targets: targets, operation: .forceAgent(up: false))
        case .maint: ActionIntent(targets: targets, operation: .setAdmin(.maint))
        case .weightZero: ActionIntent(targets: targets, operation: .setWeight(absolute: 0, percent: nil))
        }
    }
}
