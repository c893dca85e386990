import Foundation
import SwitchboardCore

/// What happened when a plan ran.
public struct ActionOutcome: Sendable {
    /// The plan.
    public var plan: ActionPlan
    /// Commands sent with their replies.
    public var exchanges: [CommandExchange]
    /// True when every expectation was observed before the deadline.
    public var verified: Bool
    /// Expectations not observed.
    public var unmet: [ActionPlan.Expectation]
    /// The balancer's refusal or the connection failure, if any (later steps were not sent).
    public var failure: SwitchboardError?
    /// The servers as last observed.
    public var after: [ActionPlan.ServerState]
    /// The audit record written.
    public var record: AuditRecord

    /// Makes an outcome (the executor makes them; tests too).
    public init(
        plan: ActionPlan, exchanges: [CommandExchange], verified: Bool, unmet: [ActionPlan.Expectation],
        failure: SwitchboardError?, after: [ActionPlan.ServerState], record: AuditRecord
    ) {
        self.plan = plan
        self.exchanges = exchanges
        self.verified = verified
        self.unmet = unmet
        self.failure = failure
        self.after = after
        self.record = record
    }

    /// True when everything was sent, accepted and observed.
    public var succeeded: Bool { failure == nil && verified }

    /// One line for the operator: `✓ drain be_web/web1 — verified` or `✗ … — HAProxy: …`.
    public var summary: String {
        let targets = plan.intent.targets.map(\.description).joined(separator: ", ")
        if let failure { return "✗ \(plan.label) \(targets) — \(failure.message)" }
        if !verified {
            return "✗ \(plan.label) \(targets) — sent, but not observed within the deadline: "
                + unmet.map(\.description).joined(separator: ", ")
        }
        return "✓ \(plan.label) \(targets) — verified"
    }
}

/// Runs plans against a driver: sends each step, stops at the first refusal, polls until the expected
/// state is observed (about 3 s), then appends the audit record (fsynced) before returning.
public struct ActionExecutor: Sendable {
    /// The driver.
    public let driver: any BalancerDriver
    /// The audit log.
    public let audit: AuditLog
    /// `console` or `cli`.
    public let via: String
    /// How long to wait for the new state.
    public let verifyTimeout: Duration

    /// Makes an executor.
    public init(driver: any BalancerDriver, audit: AuditLog, via: String, verifyTimeout: Duration = .seconds(3)) {
        self.driver = driver
        self.audit = audit
        self.via = via
        self.verifyTimeout = verifyTimeout
    }

    /// Runs `plan`. Throws only when the audit record cannot be written (after the action ran).
    public func execute(_ plan: ActionPlan, balancer: BalancerInfo) async throws -> ActionOutcome {
        var exchanges: [CommandExchange] = []
        var failure: SwitchboardError?
        for step in plan.steps {
            do {
                exchanges.append(try await driver.perform(step))
            } catch let error as SwitchboardError {
                failure = error
                break
            } catch {
                failure = SwitchboardError(.other, "\(error)")
                break
            }
        }
        var unmet = plan.expectations
        var latest: BalancerSnapshot?
        if failure == nil {
            let clock = ContinuousClock()
            let deadline = clock.now + verifyTimeout
            repeat {
                if let snapshot = try? await driver.snapshot() {
                    latest = snapshot
                    unmet = plan.expectations.filter { !$0.isMet(in: snapshot) }
                    if unmet.isEmpty { break }
                }
                try? await Task.sleep(for: .milliseconds(100))
            } while clock.now < deadline
        } else {
            latest = try? await driver.snapshot()
        }
        let after = plan.before.compactMap { state -> ActionPlan.ServerState? in
            let parts = state.server.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let server = latest?.server(parts[0], parts[1]) else { return nil }
            return ActionPlan.ServerState(server)
        }
        let verified = failure == nil && unmet.isEmpty
        let record = AuditRecord(
            time: AuditRecord.timestamp(Date()), user: Self.user, host: ProcessInfo.processInfo.hostName, via: via,
            balancer: .init(
                product: balancer.product, version: balancer.version, pid: balancer.pid, node: balancer.node),
            socket: balancer.socket, intent: plan.label, targets: plan.intent.targets.map(\.description),
            warnings: plan.warnings, commands: exchanges, before: plan.before, after: after, verified: verified,
            outcome: failure?.message
                ?? (unmet.isEmpty ? "verified" : "not observed: " + unmet.map(\.description).joined(separator: ", ")),
            error: failure?.code.rawValue, dryRun: false)
        try audit.append(record)
        return ActionOutcome(
            plan: plan, exchanges: exchanges, verified: verified, unmet: failure == nil ? unmet : plan.expectations,
            failure: failure, after: after, record: record)
    }

    /// After a partial failure, puts back the servers whose commands were accepted (as recorded before
    /// the plan), verified and audited like any plan. Returns nil when nothing had applied.
    public func rollback(_ outcome: ActionOutcome, balancer: BalancerInfo) async throws -> ActionOutcome? {
        let applied = outcome.exchanges.map(\.command)
        let states = outcome.plan.before.filter { state in
            applied.contains { $0.contains(" \(state.server) ") || $0.hasSuffix(" \(state.server)") }
        }
        guard !states.isEmpty else { return nil }
        var plan = try ActionPlanner.undo(states, on: try await driver.snapshot())
        guard !plan.steps.isEmpty else { return nil }
        plan.label = "rollback of \(outcome.plan.label)"
        return try await execute(plan, balancer: balancer)
    }

    /// Sends a raw command typed at the console's prompt. Writes are audited (accepted or refused; a raw
    /// command has no expected state to verify); reads are not.
    public func executeRaw(_ command: RuntimeCommand, balancer: BalancerInfo) async throws -> CommandExchange {
        do {
            let exchange = try await driver.execute(command)
            if command.isWrite {
                try audit.append(rawRecord(command, balancer: balancer, reply: exchange.reply, error: nil))
            }
            return exchange
        } catch let error as SwitchboardError {
            if command.isWrite {
                try audit.append(rawRecord(command, balancer: balancer, reply: error.cause ?? "", error: error))
            }
            throw error
        }
    }

    private func rawRecord(_ command: RuntimeCommand, balancer: BalancerInfo, reply: String, error: SwitchboardError?)
        -> AuditRecord
    {
        AuditRecord(
            time: AuditRecord.timestamp(Date()), user: Self.user, host: ProcessInfo.processInfo.hostName, via: via,
            balancer: .init(
                product: balancer.product, version: balancer.version, pid: balancer.pid, node: balancer.node),
            socket: balancer.socket, intent: "raw", targets: [], warnings: [],
            commands: [CommandExchange(command: command.line, reply: reply)], before: [], after: [], verified: false,
            outcome: error?.message ?? "accepted by the balancer (raw commands are not verified)",
            error: error?.code.rawValue, dryRun: false)
    }

    /// The OS user running Switchboard.
    public static var user: String {
        if let name = getpwuid(geteuid())?.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }
}
