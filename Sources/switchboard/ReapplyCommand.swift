import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardOps

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
            if !options.json && planned.allSatisfy({ $0.problem == nil && $0.plan == nil }) {
                print("no manual change was lost: every balancer still shows what the audit log says was left")
                return
            }
            try await FleetActionRunner.carryOut(planned, options: options)
        }
    }
}
