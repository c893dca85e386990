import FoundationEssentials
import SwitchboardCore

/// What a route plan did: the exchanges, what was observed after, and whether every entry was seen as planned.
public struct RouteOutcome: Sendable {
    /// The plan that ran.
    public var plan: RoutePlan
    /// The commands sent, with HAProxy's replies.
    public var exchanges: [CommandExchange]
    /// True when every entry was read back as planned.
    public var verified: Bool
    /// The entries not observed as planned, in words.
    public var unmet: [String]
    /// The error that stopped it, if any (commands after it were not sent).
    public var failure: SwitchboardError?
    /// The attempt's id in the audit log.
    public var id: String

    /// Makes an outcome.
    public init(
        plan: RoutePlan, exchanges: [CommandExchange], verified: Bool, unmet: [String], failure: SwitchboardError?,
        id: String
    ) {
        self.plan = plan
        self.exchanges = exchanges
        self.verified = verified
        self.unmet = unmet
        self.failure = failure
        self.id = id
    }

    /// One line for people: `✓ route set … verified` or what went wrong.
    public var summary: String {
        if let failure { return "✗ \(plan.label): \(failure.message)" }
        if verified { return "✓ \(plan.label) — verified by reading the map back" }
        return "⏱ \(plan.label) — not observed: " + unmet.joined(separator: "; ")
    }
}

/// Sends route plans on one balancer: compare-and-set against a fresh read of the maps, the attempt durable in the
/// audit log before the first command, then every entry read back (verify) and the outcome audited.
public struct RouteExecutor: Sendable {
    /// The balancer.
    public let driver: any BalancerDriver
    /// The audit log.
    public let audit: AuditLog
    /// `console` or `cli`.
    public let via: String
    /// How long to wait for the entries to read back as planned.
    public let verifyTimeout: Duration

    /// Makes an executor.
    public init(driver: any BalancerDriver, audit: AuditLog, via: String, verifyTimeout: Duration = .seconds(3)) {
        self.driver = driver
        self.audit = audit
        self.via = via
        self.verifyTimeout = verifyTimeout
    }

    /// Every map the balancer has, with its entries (`show map`, then `show map FILE` for each).
    public static func readMaps(_ driver: any BalancerDriver) async throws -> [RouteMapContents] {
        let maps = try RouteMap.list(parsing: try await driver.execute(.showMaps).reply)
        var contents: [RouteMapContents] = []
        for map in maps {
            let entries = try RouteEntry.entries(parsing: try await driver.execute(.showMap(map.reference)).reply)
            contents.append(RouteMapContents(map: map, entries: entries))
        }
        return contents
    }

    /// Runs `plan`. Throws a `planChanged` error (nothing sent) when an entry no longer holds the value the plan
    /// was made on, and `auditLogUnwritable` (nothing sent) when the attempt cannot be recorded.
    public func execute(_ plan: RoutePlan, balancer: BalancerInfo) async throws -> RouteOutcome {
        let commands = try plan.commands()
        let conflicts = RoutePlanner.conflicts(plan, maps: try await Self.readMaps(driver))
        guard conflicts.isEmpty else {
            throw SwitchboardError(
                .planChanged,
                "the routes changed since the preview (\(conflicts.joined(separator: "; "))): nothing was sent — "
                    + "look again and re-plan")
        }
        let id = UUID().uuidString.lowercased()
        var attempt = record(plan, balancer: balancer, exchanges: [], verified: false, outcome: "attempt")
        attempt.id = id
        attempt.phase = "attempt"
        attempt.planned = commands.map(\.line)
        try audit.append(attempt)  // nothing has been sent yet: a failure here refuses the change

        var exchanges: [CommandExchange] = []
        var failure: SwitchboardError?
        for command in commands {
            do {
                exchanges.append(try await driver.execute(command))
            } catch let error as SwitchboardError {
                failure = error
                break
            } catch {
                failure = SwitchboardError(.other, "\(error)")
                break
            }
        }
        var unmet = plan.changes.map(\.description)
        if failure == nil {
            let clock = ContinuousClock()
            let deadline = clock.now + verifyTimeout
            repeat {
                if let maps = try? await Self.readMaps(driver) {
                    unmet = plan.changes.filter { change in
                        maps.first { change.map.names($0.map) }?.value(of: change.key) != change.after
                    }.map(\.description)
                    if unmet.isEmpty { break }
                }
                try? await Task.sleep(for: .milliseconds(100))
            } while clock.now < deadline
        }
        let verified = failure == nil && unmet.isEmpty
        var outcome = record(
            plan, balancer: balancer, exchanges: exchanges, verified: verified,
            outcome: failure?.message ?? (verified ? "verified" : "not observed: " + unmet.joined(separator: ", ")))
        outcome.error = failure?.code.rawValue
        outcome.id = id
        outcome.phase = "outcome"
        let result = RouteOutcome(
            plan: plan, exchanges: exchanges, verified: verified, unmet: unmet, failure: failure, id: id)
        do {
            try audit.append(outcome)
        } catch let error as SwitchboardError {
            throw SwitchboardError(
                .auditLogUnwritable,
                "\(result.summary) — but its OUTCOME could not be recorded (the attempt is on record): "
                    + error.message, cause: error.cause)
        }
        return result
    }

    private func record(
        _ plan: RoutePlan, balancer: BalancerInfo, exchanges: [CommandExchange], verified: Bool, outcome: String
    ) -> AuditRecord {
        var record = AuditRecord(
            time: AuditRecord.timestamp(Date()), user: ActionExecutor.user, host: ProcessInfo.processInfo.hostName,
            via: via,
            balancer: .init(
                product: balancer.product, version: balancer.version, pid: balancer.pid, node: balancer.node),
            socket: balancer.socket, intent: plan.label, targets: [], warnings: plan.warnings, commands: exchanges,
            before: [], after: [], verified: verified, outcome: outcome, error: nil, dryRun: false)
        record.routes = plan.changes
        return record
    }
}
