import FoundationEssentials
import Glibc
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

/// Runs plans against a driver, safely while the world moves:
///
/// 1. **Compare-and-set**: the plan's basis is compared with a fresh snapshot; when anything it depends on
///    changed, nothing is sent and ``PlanChanged`` is thrown with the re-planned plan, to be confirmed again.
/// 2. **Write-ahead audit**: an `attempt` record (fsynced) before the first command; when it cannot be
///    written, nothing is sent (``SwitchboardError/Code/auditLogUnwritable``).
/// 3. Send each step, stopping at the first refusal; poll until the expected state is observed (about 3 s).
/// 4. The `outcome` record (same id, fsynced) before returning.
public struct ActionExecutor: Sendable {
    /// The driver.
    public let driver: any BalancerDriver
    /// The audit log.
    public let audit: AuditLog
    /// `console` or `cli`.
    public let via: String
    /// How long to wait for the new state.
    public let verifyTimeout: Duration

    /// The fleet-wide intent this executor acts for, written into every record (nil on one balancer).
    public var intentID: String?

    /// Makes an executor.
    public init(driver: any BalancerDriver, audit: AuditLog, via: String, verifyTimeout: Duration = .seconds(3)) {
        self.driver = driver
        self.audit = audit
        self.via = via
        self.verifyTimeout = verifyTimeout
    }

    /// Runs `plan`. Throws ``PlanChanged`` (nothing sent) when the balancer moved since the plan was made,
    /// an `auditLogUnwritable` error (nothing sent) when the attempt cannot be recorded, and the same code
    /// (the change *was* sent) when the outcome cannot be recorded.
    public func execute(_ plan: ActionPlan, balancer: BalancerInfo) async throws -> ActionOutcome {
        var plan = plan
        var balancer = balancer
        if !plan.basis.isEmpty {
            let fresh = try await driver.snapshot()
            let recheck = ActionPlanner.recheck(plan, on: fresh)
            guard recheck.isUnchanged else { throw PlanChanged(recheck) }
            plan = recheck.plan
            balancer = fresh.info
        }
        let id = Self.newID()
        var attempt = record(plan, balancer: balancer, exchanges: [], after: [], verified: false, outcome: "attempt")
        attempt.id = id
        attempt.phase = "attempt"
        attempt.planned = plan.steps.map { RuntimeCommand(for: $0).line }
        try audit.append(attempt)  // nothing has been sent yet: a failure here refuses the action

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
            guard let server = latest?.server(state.server) else { return nil }
            return ActionPlan.ServerState(server)
        }
        let verified = failure == nil && unmet.isEmpty
        var outcomeRecord = record(
            plan, balancer: balancer, exchanges: exchanges, after: after, verified: verified,
            outcome: failure?.message
                ?? (unmet.isEmpty ? "verified" : "not observed: " + unmet.map(\.description).joined(separator: ", ")))
        outcomeRecord.error = failure?.code.rawValue
        outcomeRecord.id = id
        outcomeRecord.phase = "outcome"
        let outcome = ActionOutcome(
            plan: plan, exchanges: exchanges, verified: verified, unmet: failure == nil ? unmet : plan.expectations,
            failure: failure, after: after, record: outcomeRecord)
        do {
            try audit.append(outcomeRecord)
        } catch let error as SwitchboardError {
            throw SwitchboardError(
                .auditLogUnwritable,
                "\(outcome.summary) — but its OUTCOME could not be recorded (the attempt is on record): "
                    + error.message, cause: error.cause)
        }
        return outcome
    }

    private func record(
        _ plan: ActionPlan, balancer: BalancerInfo, exchanges: [CommandExchange], after: [ActionPlan.ServerState],
        verified: Bool, outcome: String
    ) -> AuditRecord {
        var record = AuditRecord(
            time: AuditRecord.timestamp(Date()), user: Self.user, host: ProcessInfo.processInfo.hostName, via: via,
            balancer: .init(
                product: balancer.product, version: balancer.version, pid: balancer.pid, node: balancer.node),
            socket: balancer.socket, intent: plan.label, targets: plan.intent.targets.map(\.id),
            warnings: plan.warnings, commands: exchanges, before: plan.before, after: after, verified: verified,
            outcome: outcome, error: nil, dryRun: false)
        record.intentID = intentID
        return record
    }

    /// A fresh attempt id.
    static func newID() -> String { UUID().uuidString.lowercased() }

    /// After a partial failure, puts back the servers whose commands were accepted (as recorded before
    /// the plan), verified and audited like any plan. Returns nil when nothing had applied.
    public func rollback(_ outcome: ActionOutcome, balancer: BalancerInfo) async throws -> ActionOutcome? {
        let applied = outcome.exchanges.map(\.command)
        let states = outcome.plan.before.filter { state in
            applied.contains { $0.contains(" \(state.server) ") || $0.hasSuffix(" \(state.server)") }
        }
        guard !states.isEmpty else { return nil }
        var plan = try ActionPlanner.undo(states, leftAs: outcome.after, on: try await driver.snapshot())
        guard !plan.steps.isEmpty else { return nil }
        plan.label = "rollback of \(outcome.plan.label)"
        return try await execute(plan, balancer: balancer)
    }

    /// Sends a raw command typed at the console's prompt. Writes are audited (accepted or refused; a raw
    /// command has no expected state to verify); reads are not.
    public func executeRaw(_ command: RuntimeCommand, balancer: BalancerInfo) async throws -> CommandExchange {
        guard command.isWrite else { return try await driver.execute(command) }
        let id = Self.newID()
        var attempt = rawRecord(command, balancer: balancer, reply: "", error: nil)
        attempt.outcome = "attempt"
        attempt.id = id
        attempt.phase = "attempt"
        attempt.planned = [command.line]
        attempt.commands = []
        try audit.append(attempt)  // nothing sent yet
        do {
            let exchange = try await driver.execute(command)
            var record = rawRecord(command, balancer: balancer, reply: exchange.reply, error: nil)
            record.id = id
            record.phase = "outcome"
            try audit.append(record)
            return exchange
        } catch let error as SwitchboardError {
            var record = rawRecord(command, balancer: balancer, reply: error.cause ?? "", error: error)
            record.id = id
            record.phase = "outcome"
            try? audit.append(record)
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
