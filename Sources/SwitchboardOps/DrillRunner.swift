import FoundationEssentials
import SwitchboardCore
import Synchronization

/// Asks a running drill to stop (SIGINT, SIGTERM): it ends its watch and restores at once.
public final class DrillStop: Sendable {
    private let state = Mutex<String?>(nil)

    /// Makes a stop switch.
    public init() {}

    /// Requests the stop, with the reason the report gives.
    public func request(_ reason: String) { state.withLock { $0 = $0 ?? reason } }

    /// The reason, once requested.
    public var reason: String? { state.withLock { $0 } }
}

/// Runs a failover drill on one balancer: checks the steady state, records the pre-drill states like a failover
/// (so `switchboard failback BACKEND` can finish a drill whose process died), injects the failure through the
/// Runtime API (sent, verified, audited), watches where the traffic goes, and restores exactly the pre-drill
/// states on every way out — retried until verified or the restore deadline passes, then names what is left.
public struct DrillRunner: Sendable {
    /// The balancer.
    public let driver: any BalancerDriver
    /// Sends, verifies and audits the injection and the restore.
    public let executor: ActionExecutor
    /// Where the pre-drill states are recorded.
    public let store: FailoverStore
    /// The drill.
    public let spec: DrillSpec
    /// How long the restore is retried (a lost connection, a reload) before giving up and naming what is left.
    public var restoreDeadline: Duration = .seconds(60)
    /// How long after the restore the backend may take to serve as before (health checks need their rise).
    public var settleTimeout: Duration = .seconds(20)
    /// Sends the probe's GET and returns the status (nil: no answer); needed when the drill has a probe.
    public var probeGet: (@Sendable (DrillProbe) async -> Int?)?

    /// Makes a runner.
    public init(driver: any BalancerDriver, executor: ActionExecutor, store: FailoverStore, spec: DrillSpec) {
        self.driver = driver
        self.executor = executor
        self.store = store
        self.spec = spec
    }

    /// The servers and the plan the drill would inject on `snapshot` (what `--dry-run` prints).
    public func plan(on snapshot: BalancerSnapshot) throws -> (targets: [ServerRef], plan: ActionPlan) {
        guard let backend = snapshot.backend(named: spec.backend) else {
            throw SwitchboardError(
                .noSuchBackend,
                "no backend '\(spec.backend)' on \(snapshot.info.socket); backends: "
                    + snapshot.backends.map(\.name).joined(separator: ", "))
        }
        let targets = try spec.injected(in: backend)
        var plan = try ActionPlanner.plan(spec.intent(targets), on: snapshot)
        plan.label = "drill \(spec.backend) (\(spec.injection.rawValue))"
        return (targets, plan)
    }

    /// Runs the drill. Throws only when nothing was injected (the balancer unreadable, a bad backend, a plan
    /// refused before sending); once the injection was sent, always returns a report after the restore.
    public func run(stop: DrillStop, progress: @Sendable (String) -> Void = { _ in }) async throws -> DrillReport {
        let clock = ContinuousClock()
        let started = Date()
        var snapshot = try await driver.snapshot()
        _ = try self.plan(on: snapshot)  // a bad backend or drill is refused before the steady-state wait
        var report = DrillReport(
            spec: spec, balancer: snapshot.info.socket, version: snapshot.info.version,
            started: AuditRecord.timestamp(started), injected: [])

        // Before: the steady state must hold, or nothing is injected.
        let first = snapshot.backend(named: spec.backend)!
        try await Task.sleep(for: .seconds(max(1, spec.pollInterval)))
        snapshot = try await driver.snapshot()
        let second = snapshot.backend(named: spec.backend) ?? first
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        let rateBefore = Double(max(0, second.http5xx - first.http5xx)) / elapsed
        let servingBefore = second.servers.filter(\.isServing).count
        report.hypotheses.append(
            .init(
                phase: "before", statement: "5xx ≤ \(DrillReport.number(spec.maximumErrorRate))/s",
                measured: String(printf: "%.1f/s", rateBefore), held: rateBefore <= spec.maximumErrorRate))
        report.hypotheses.append(
            .init(
                phase: "before", statement: "at least \(spec.minimumServing) server(s) serving",
                measured: "\(servingBefore) serving", held: servingBefore >= spec.minimumServing))
        if let probe = spec.probe {
            let status = await probeGet?(probe)
            report.hypotheses.append(
                .init(
                    phase: "before", statement: "\(probe) answers 2xx",
                    measured: status.map { "\($0)" } ?? "no answer", held: DrillProbe.accepts(status)))
        }
        guard report.hypotheses.allSatisfy(\.held) else {
            progress("the steady state does not hold before the drill: nothing injected")
            report.result = .fail
            report.ended = AuditRecord.timestamp(Date())
            return report
        }

        // Planned on the newest read; when the backend moves between that read and the send (compare-and-set
        // refuses: nothing was sent), planned again on a fresh read, three times at most.
        var targets: [ServerRef] = []
        var record: FailoverStore.Record?
        var outcome: ActionOutcome?
        for attempt in 1...3 {
            let planned = try self.plan(on: snapshot)
            targets = planned.targets
            report.injected = targets.map(\.description)
            // Recorded before the first command leaves: a drill whose process dies is finished by `failback`.
            let recorded = FailoverStore.Record(
                time: AuditRecord.timestamp(Date()), socket: snapshot.info.socket, backend: spec.backend,
                mode: "drill \(spec.injection.rawValue)",
                before: planned.plan.before.filter { $0.server.backend == spec.backend })
            try store.save(recorded)
            record = recorded
            progress("injecting \(spec.injection.rawValue) on \(report.injected.joined(separator: ", "))")
            do {
                outcome = try await executor.execute(planned.plan, balancer: snapshot.info)
                break
            } catch let error as PlanChanged {
                try? store.remove(socket: snapshot.info.socket, backend: spec.backend)
                guard attempt < 3 else {
                    throw SwitchboardError(
                        .planChanged, "the backend kept changing while the drill was prepared; nothing was injected",
                        cause: error.recheck.changes.joined(separator: "; "))
                }
                progress("the backend changed before sending (nothing sent): planning again")
                snapshot = try await driver.snapshot()
            } catch {
                // Refused before or while sending: restore whatever may have applied.
                report.result = .aborted
                report.abortReason = "injection failed: \((error as? SwitchboardError)?.message ?? "\(error)")"
                return await restore(record: recorded, report: report, clock: clock, progress: progress)
            }
        }
        guard var record, let outcome else {
            throw SwitchboardError(.planChanged, "the drill was not injected; nothing was sent")
        }
        record.after = outcome.after
        try? store.save(record)
        if !outcome.verified {
            report.result = .aborted
            report.abortReason = "injection not verified: " + (outcome.failure?.message ?? "expectations unmet")
            return await restore(record: record, report: report, clock: clock, progress: progress)
        }

        // During: where the new sessions go.
        let injectedAt = Date()
        let baseline = (try? await driver.snapshot())?.backend(named: spec.backend) ?? second
        var watch = DrillWatch(spec: spec, injected: targets, baseline: baseline, at: injectedAt)
        let end = clock.now + .milliseconds(Int(spec.duration * 1000))
        let within = clock.now + .milliseconds(Int(spec.within * 1000))
        var unreadableSince: ContinuousClock.Instant?
        var abort: String?
        let probes = ProbeTally()
        let prober = spec.probe.map { probe in
            let get = probeGet, interval = spec.pollInterval
            return Task {
                while !Task.isCancelled {
                    probes.record(await get?(probe), at: Date())
                    try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                }
            }
        }
        defer { prober?.cancel() }
        while clock.now < end {
            if let reason = stop.reason {
                abort = reason
                break
            }
            try? await Task.sleep(for: .milliseconds(Int(spec.pollInterval * 1000)))
            do {
                let read = try await driver.snapshot()
                unreadableSince = nil
                guard let backend = read.backend(named: spec.backend) else {
                    abort = "\(spec.backend) is no longer reported by the balancer"
                    break
                }
                if let reason = watch.observe(backend, at: Date()) {
                    abort = reason
                    break
                }
                if let probe = spec.probe, let failing = probes.failingFor(at: Date()), failing > spec.abortProbe {
                    abort =
                        "the probe \(probe) failed for \(Int(failing.rounded())) s (last: "
                        + (probes.state.lastStatus.map { "\($0)" } ?? "no answer") + ")"
                    break
                }
            } catch {
                let since = unreadableSince ?? clock.now
                unreadableSince = since
                if clock.now - since > .seconds(5) {
                    abort = "lost the balancer: \((error as? SwitchboardError)?.message ?? "\(error)")"
                    break
                }
            }
            if watch.shifted == nil && clock.now >= within {
                progress("the \(spec.expect.rawValue) did not take the traffic within \(spec.within) s: ending early")
                break
            }
        }
        report.firstSessionSeconds = watch.firstOnExpected
        report.shiftedSeconds = watch.shifted
        report.expectedSessions = watch.expectedSessions
        report.totalSessions = watch.totalSessions
        report.errorsServed = watch.errors
        let shiftedInTime = watch.shifted.map { $0 <= spec.within } ?? false
        report.hypotheses.append(
            .init(
                phase: "during",
                statement:
                    "the \(spec.expect.rawValue) take ≥ \(DrillReport.number(spec.minimumShare)) % of new sessions "
                    + "within \(DrillReport.number(spec.within)) s",
                measured: watch.shifted.map { String(printf: "after %.1f s", $0) }
                    ?? "not observed (\(watch.expectedSessions) of \(watch.totalSessions) new sessions)",
                held: shiftedInTime))
        report.hypotheses.append(
            .init(
                phase: "during", statement: "5xx ≤ \(DrillReport.number(spec.maximumErrorRate))/s",
                measured: String(printf: "at most %.1f/s (%ld served)", watch.highestErrorRate, watch.errors),
                held: watch.highestErrorRate <= spec.maximumErrorRate))
        report.hypotheses.append(
            .init(
                phase: "during", statement: "at least \(spec.minimumServing) server(s) serving",
                measured: "\(watch.fewestServing) at the fewest", held: watch.fewestServing >= spec.minimumServing))
        prober?.cancel()
        if let probe = spec.probe {
            let tally = probes.state
            report.hypotheses.append(
                .init(
                    phase: "during", statement: "\(probe) answers 2xx throughout",
                    measured: "\(tally.answered) of \(tally.answered + tally.failed) answered 2xx"
                        + (tally.firstFailure.map { " (first failure: \($0))" } ?? ""),
                    held: tally.failed == 0 && tally.answered > 0))
        }
        if let abort {
            report.result = .aborted
            report.abortReason = abort
        } else if !report.hypotheses.allSatisfy(\.held) {
            report.result = .fail
        }
        progress("restoring the pre-drill states")
        var restored = await restore(record: record, report: report, clock: clock, progress: progress)

        // After: the backend serves as before.
        if restored.restored {
            let settle = clock.now + settleTimeout
            var serving = 0
            while clock.now < settle {
                serving =
                    (try? await driver.snapshot())?.backend(named: spec.backend)?.servers.filter(\.isServing)
                    .count ?? 0
                if serving >= servingBefore { break }
                try? await Task.sleep(for: .milliseconds(500))
            }
            restored.hypotheses.append(
                .init(
                    phase: "after", statement: "serves as before: \(servingBefore) server(s)",
                    measured: "\(serving) serving", held: serving >= servingBefore))
            if serving < servingBefore && restored.result == .pass { restored.result = .fail }
            if let probe = spec.probe {
                var status: Int?
                repeat {
                    status = await probeGet?(probe)
                    if DrillProbe.accepts(status) { break }
                    try? await Task.sleep(for: .milliseconds(500))
                } while clock.now < settle
                restored.hypotheses.append(
                    .init(
                        phase: "after", statement: "\(probe) answers 2xx",
                        measured: status.map { "\($0)" } ?? "no answer", held: DrillProbe.accepts(status)))
                if !DrillProbe.accepts(status) && restored.result == .pass { restored.result = .fail }
            }
        }
        restored.ended = AuditRecord.timestamp(Date())
        return restored
    }

    /// Puts back exactly the recorded pre-drill states, verified; retried until the restore deadline.
    func restore(
        record: FailoverStore.Record, report: DrillReport, clock: ContinuousClock, progress: (String) -> Void
    ) async -> DrillReport {
        var report = report
        let deadline = clock.now + restoreDeadline
        var problem = "not attempted"
        var lastSnapshot: BalancerSnapshot?
        while true {
            do {
                let snapshot = try await driver.snapshot()
                lastSnapshot = snapshot
                var plan = try ActionPlanner.undo(record.before, on: snapshot)
                if plan.steps.isEmpty {
                    report.restored = true
                    break
                }
                plan.label = "drill \(spec.backend): restore"
                let outcome = try await executor.execute(plan, balancer: snapshot.info)
                if outcome.verified {
                    report.restored = true
                    break
                }
                problem = outcome.failure?.message ?? "not verified"
            } catch {
                problem = (error as? SwitchboardError)?.message ?? "\(error)"
            }
            if clock.now >= deadline { break }
            progress("restore not done (\(problem)); trying again")
            try? await Task.sleep(for: .seconds(1))
        }
        if report.restored {
            try? store.remove(socket: record.socket, backend: record.backend)
        } else {
            report.restored = false
            report.leftToRestore = record.before.compactMap { state in
                guard let server = lastSnapshot?.server(state.server) else { return "\(state.server) (\(problem))" }
                let now = ActionPlan.ServerState(server)
                return now == state ? nil : "\(state.server): \(now.admin.rawValue), weight \(now.weight) (\(problem))"
            }
            report.finishWith = "switchboard failback \(record.backend) --socket \(record.socket)"
        }
        report.ended = AuditRecord.timestamp(Date())
        return report
    }
}

/// What the drill's probe saw while the failure was injected: answers, failures, since when it has been failing.
final class ProbeTally: Sendable {
    struct State {
        var answered = 0
        var failed = 0
        var failingSince: Date?
        var lastStatus: Int?
        var firstFailure: String?
    }

    private let value = Mutex(State())

    var state: State { value.withLock { $0 } }

    func record(_ status: Int?, at time: Date) {
        value.withLock { state in
            state.lastStatus = status
            if DrillProbe.accepts(status) {
                state.answered += 1
                state.failingSince = nil
            } else {
                state.failed += 1
                state.failingSince = state.failingSince ?? time
                if state.firstFailure == nil {
                    state.firstFailure = (status.map { "\($0)" } ?? "no answer") + " at " + AuditRecord.timestamp(time)
                }
            }
        }
    }

    /// Seconds the probe has been failing at `time` (nil while it answers).
    func failingFor(at time: Date) -> Double? { value.withLock { $0.failingSince.map { time.timeIntervalSince($0) } } }
}
