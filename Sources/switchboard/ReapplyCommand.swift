import ArgumentParser
import FoundationEssentials
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// `switchboard reapply`: the operator changes a reload or restart silently undid (``LostChanges``, from the
/// audit log), named per balancer and put back — previewed, confirmed, verified and audited like any action,
/// on every balancer picked at once.
struct ReapplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reapply",
        abstract: "Find the manual changes a reload undid (from the audit log) and apply them again.")
    @Option(name: .long, help: "Only changes recorded in the last HOURS hours (default 24).") var since: Double = 24
    @OptionGroup var options: ActionOptions

    func validate() throws {
        guard (0.01...8_760).contains(since) else { throw ValidationError("--since takes 0.01–8760 hours") }
    }

    func run() async throws {
        let options = self.options, since = self.since
        try await ExitCodes.reporting {
            let picked = try await options.socket.resolveTargets()
            let audit = ActionRunner.auditLog(options)
            let (records, _) = try audit.records()
            let from = AuditRecord.timestamp(Date().addingTimeInterval(-since * 3600))
            let reached = try await FleetActionRunner.connect(options, picked: picked)
            defer { FleetActionRunner.close(reached) }
            let planned = reached.map { node in
                FleetActionRunner.plan(node, options: options) { snapshot in
                    let lost = LostChanges.toReapply(in: records, on: snapshot, since: from)
                    guard !lost.isEmpty else { return nil }
                    if !options.json {
                        print(LostChanges.summary(lost, balancer: node.target.name, pid: snapshot.info.pid))
                    }
                    var plan = try ActionPlanner.undo(lost.map(\.recorded), on: snapshot)
                    plan.label = "reapply after reload"
                    plan.kind = .reapply
                    return plan
                }
            }
            let routes = try await Self.lostRoutes(reached, options: options)
            if planned.allSatisfy({ $0.problem == nil && $0.plan == nil }) {
                if routes.isEmpty && !options.json {
                    print("no manual change was lost: every balancer still shows what the audit log says was left")
                }
            } else {
                try await FleetActionRunner.carryOut(planned, options: options)
            }
            try await Self.reapplyRoutes(routes, options: options)
        }
    }

    /// Per balancer reached, the route changes on record (`routes.json`) its maps no longer show, as a plan.
    static func lostRoutes(_ reached: [FleetActionRunner.Prepared], options: ActionOptions) async throws
        -> [(FleetActionRunner.Prepared, RoutePlan)]
    {
        let store = RouteStore(besides: ActionRunner.auditLog(options))
        let records = try store.all()
        var found: [(FleetActionRunner.Prepared, RoutePlan)] = []
        for node in reached {
            guard let driver = node.driver, let snapshot = node.snapshot else { continue }
            let changes = records.filter { $0.socket == snapshot.info.socket }.flatMap(\.changes)
            guard !changes.isEmpty,
                let plan = try RoutePlanner.reapply(
                    changes, maps: try await RouteExecutor.readMaps(driver), snapshot: snapshot)
            else { continue }
            if !options.json {
                print(
                    "\(node.target.name) (pid \(snapshot.info.pid)) lost \(plan.changes.count) route change(s): "
                        + plan.changes.map { "\($0.key) \($0.after ?? "") → back to \($0.before ?? "absent")" }
                        .joined(separator: ", "))
            }
            found.append((node, plan))
        }
        return found
    }

    /// Puts the lost routes back, one balancer after the other (each previewed, confirmed, compare-and-set, read
    /// back and audited like `route set`); the route records stay as they are (they are still in force).
    static func reapplyRoutes(_ lost: [(FleetActionRunner.Prepared, RoutePlan)], options: ActionOptions) async throws {
        var failed: [String] = []
        for (node, plan) in lost {
            guard let driver = node.driver, let snapshot = node.snapshot else { continue }
            if !options.json {
                print("== \(node.target.name)")
                RouteRunner.preview(plan, json: false)
            }
            if options.dryRun { continue }
            try RouteRunner.confirm(plan, yes: options.yes, typed: options.confirm)
            let outcome = try await RouteExecutor(driver: driver, audit: ActionRunner.auditLog(options), via: "cli")
                .execute(plan, balancer: snapshot.info)
            if !options.json { print("  \(outcome.summary)") }
            if !outcome.verified { failed.append(node.target.name) }
        }
        if !failed.isEmpty {
            throw SwitchboardError(.timeout, "routes not re-applied and verified on \(failed.joined(separator: ", "))")
        }
    }
}
