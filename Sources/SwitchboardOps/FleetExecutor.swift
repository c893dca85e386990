import FoundationEssentials
import SwitchboardCore

/// One balancer of a fleet-wide action, with the plan made for it on its own latest snapshot.
public struct FleetNodePlan: Sendable {
    /// The balancer's name (its targets-file name, or its address).
    public var name: String
    /// Its driver.
    public var driver: any BalancerDriver
    /// The plan for this node.
    public var plan: ActionPlan
    /// The snapshot the plan was made on.
    public var snapshot: BalancerSnapshot

    /// Makes a node plan.
    public init(name: String, driver: any BalancerDriver, plan: ActionPlan, snapshot: BalancerSnapshot) {
        self.name = name
        self.driver = driver
        self.plan = plan
        self.snapshot = snapshot
    }
}

/// What happened on one balancer of a fleet-wide action.
public struct FleetNodeResult: Sendable {
    /// How it ended on this node.
    public enum Status: String, Sendable, Codable {
        /// Sent, accepted and observed.
        case verified
        /// HAProxy (or the socket) refused a command; the message says which.
        case refused
        /// Accepted but the new state was not observed before the deadline.
        case notObserved = "not-observed"
        /// The node changed since the preview: nothing was sent there.
        case changed
        /// The node could not be reached when it was its turn.
        case unreachable
        /// Not tried: a serial run stopped before this node.
        case notSent = "not-sent"
        /// It applied, and was put back as recorded (verified) because another node failed.
        case rolledBack = "rolled-back"
        /// It applied; putting it back failed — the message says what is left.
        case rollbackFailed = "rollback-failed"
    }

    /// The node.
    public var name: String
    /// How it ended.
    public var status: Status
    /// In words.
    public var detail: String
    /// The node's outcome, when something was sent.
    public var outcome: ActionOutcome?

    /// Makes a result.
    public init(name: String, status: Status, detail: String, outcome: ActionOutcome? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.outcome = outcome
    }

    /// True when the change is in place on this node.
    public var applied: Bool { status == .verified || status == .notObserved || status == .rollbackFailed }
}

/// How a fleet-wide action is run.
public struct FleetExecution: Sendable {
    /// Every node at once (the default), or one after the other.
    public var serial: Bool
    /// Serial only: failures tolerated before the run stops (0: stop at the first).
    public var maxFail: Int
    /// Serial only: the pause between two nodes.
    public var pause: Duration
    /// Put the nodes that applied back when the run fails (all or nothing, the default).
    public var rollback: Bool

    /// Makes the settings.
    public init(serial: Bool = false, maxFail: Int = 0, pause: Duration = .zero, rollback: Bool = true) {
        self.serial = serial
        self.maxFail = maxFail
        self.pause = pause
        self.rollback = rollback
    }
}

/// Runs one intent on several balancers: per node compare-and-set, send and verify (each node with its
/// own deadlines, so one hung node cannot hold the others), one intent id in every audit record, and — when
/// any node fails and rollback is on — every node that applied put back as recorded, verified and audited.
/// Success is reported only when every node was observed in the new state.
public struct FleetExecutor: Sendable {
    /// The audit log every node's records go to.
    public let audit: AuditLog
    /// `cli` or `console`.
    public let via: String
    /// The intent's id (in every record of every node).
    public let intentID: String

    /// Makes an executor with a fresh intent id.
    public init(audit: AuditLog, via: String, intentID: String = UUID().uuidString.lowercased()) {
        self.audit = audit
        self.via = via
        self.intentID = intentID
    }

    /// The result of a run.
    public struct Report: Sendable {
        /// The intent's id.
        public var intentID: String
        /// Per node, in the order given.
        public var nodes: [FleetNodeResult]
        /// True when the run failed (a node failed in parallel mode, more than `maxFail` in serial).
        public var failed: Bool
        /// True when a rollback was made.
        public var rolledBack: Bool

        /// Makes a report.
        public init(intentID: String, nodes: [FleetNodeResult], failed: Bool, rolledBack: Bool) {
            self.intentID = intentID
            self.nodes = nodes
            self.failed = failed
            self.rolledBack = rolledBack
        }

        /// True when every node verified.
        public var allVerified: Bool { nodes.allSatisfy { $0.status == .verified } }
        /// True when some node still has the change while others do not.
        public var partlyApplied: Bool {
            nodes.contains(where: \.applied) && !nodes.allSatisfy { $0.status == .verified }
        }
    }

    /// Runs `plans` as `execution` says; `progress` gets a line per node as it finishes.
    public func run(
        _ plans: [FleetNodePlan], _ execution: FleetExecution, progress: @Sendable (String) -> Void = { _ in }
    ) async -> Report {
        var results: [FleetNodeResult]
        var failed: Bool
        if execution.serial {
            results = []
            var failures = 0
            failed = false
            for (position, node) in plans.enumerated() {
                if failed {
                    results.append(
                        FleetNodeResult(
                            name: node.name, status: .notSent,
                            detail:
                                "not tried: the run stopped after \(failures) failure(s) (--max-fail \(execution.maxFail))"
                        ))
                    continue
                }
                if position > 0 && execution.pause > .zero { try? await Task.sleep(for: execution.pause) }
                let result = await apply(node)
                progress(Self.line(result))
                results.append(result)
                if result.status != .verified {
                    failures += 1
                    failed = failures > execution.maxFail
                }
            }
        } else {
            results = await withTaskGroup(of: (Int, FleetNodeResult).self) { group in
                for (position, node) in plans.enumerated() {
                    group.addTask { (position, await self.apply(node)) }
                }
                var collected = [FleetNodeResult?](repeating: nil, count: plans.count)
                for await (position, result) in group {
                    progress(Self.line(result))
                    collected[position] = result
                }
                return collected.compactMap { $0 }
            }
            failed = results.contains { $0.status != .verified }
        }
        var rolledBack = false
        if failed && execution.rollback {
            for index in results.indices where results[index].applied {
                results[index] = await rollback(results[index], node: plans[index])
                rolledBack = true
            }
        }
        return Report(intentID: intentID, nodes: results, failed: failed, rolledBack: rolledBack)
    }

    /// One node: compare-and-set, send, verify.
    func apply(_ node: FleetNodePlan) async -> FleetNodeResult {
        var executor = ActionExecutor(driver: node.driver, audit: audit, via: via)
        executor.intentID = intentID
        do {
            let outcome = try await executor.execute(node.plan, balancer: node.snapshot.info)
            if let failure = outcome.failure {
                let status: FleetNodeResult.Status = Self.isUnreachable(failure) ? .unreachable : .refused
                return FleetNodeResult(
                    name: node.name, status: outcome.exchanges.isEmpty ? status : .notObserved,
                    detail: failure.message
                        + (outcome.exchanges.isEmpty ? "" : " (after \(outcome.exchanges.count) accepted command(s))"),
                    outcome: outcome)
            }
            guard outcome.verified else {
                return FleetNodeResult(
                    name: node.name, status: .notObserved,
                    detail: "not observed: " + outcome.unmet.map(\.description).joined(separator: ", "),
                    outcome: outcome)
            }
            return FleetNodeResult(name: node.name, status: .verified, detail: "verified", outcome: outcome)
        } catch let changed as PlanChanged {
            return FleetNodeResult(
                name: node.name, status: .changed,
                detail: "changed since the preview (" + changed.recheck.changes.joined(separator: "; ")
                    + "); nothing was sent here")
        } catch let error as SwitchboardError {
            return FleetNodeResult(
                name: node.name, status: Self.isUnreachable(error) ? .unreachable : .refused, detail: error.message)
        } catch {
            return FleetNodeResult(name: node.name, status: .refused, detail: "\(error)")
        }
    }

    /// Puts one node back as its outcome recorded it before the change.
    func rollback(_ result: FleetNodeResult, node: FleetNodePlan) async -> FleetNodeResult {
        guard let outcome = result.outcome else { return result }
        var executor = ActionExecutor(driver: node.driver, audit: audit, via: via)
        executor.intentID = intentID
        do {
            guard let back = try await executor.rollback(outcome, balancer: node.snapshot.info) else {
                return FleetNodeResult(
                    name: node.name, status: .rolledBack, detail: "rolled back: already as before", outcome: outcome)
            }
            guard back.succeeded else {
                return FleetNodeResult(
                    name: node.name, status: .rollbackFailed,
                    detail: "rollback not verified: \(back.summary) — check this node", outcome: outcome)
            }
            return FleetNodeResult(
                name: node.name, status: .rolledBack, detail: "rolled back, verified", outcome: outcome)
        } catch let error as SwitchboardError {
            return FleetNodeResult(
                name: node.name, status: .rollbackFailed,
                detail: "rollback failed: \(error.message) — the change is still in place here", outcome: outcome)
        } catch {
            return FleetNodeResult(
                name: node.name, status: .rollbackFailed, detail: "rollback failed: \(error)", outcome: outcome)
        }
    }

    /// True for the errors that mean the node could not be reached (as against a refusal).
    public static func isUnreachable(_ error: SwitchboardError) -> Bool {
        [.connectionRefused, .socketNotFound, .timeout, .connectionLost, .sshUnreachable].contains(error.code)
    }

    /// `lb2  ✓ verified`.
    public static func line(_ result: FleetNodeResult) -> String {
        "\(result.name)  \(symbol(result.status)) \(result.detail)"
    }

    /// The glyph for a status.
    public static func symbol(_ status: FleetNodeResult.Status) -> String {
        switch status {
        case .verified: "✓"
        case .rolledBack: "↩"
        case .notObserved: "⏱"
        case .notSent, .changed: "–"
        case .unreachable, .refused, .rollbackFailed: "✗"
        }
    }
}
