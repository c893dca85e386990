import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps

/// The training side of `switchboard demo --scenario NAME`: the brief, the player on the demo's lab, and the
/// debrief from what it observed and what the audit log says the trainee did.
struct DemoScenario: Sendable {
    let scenario: Scenario
    let rule: RecoveryRule
    let timeLimit: Int
    let audit: AuditLog
    let debriefPath: String?

    /// `--list-scenarios`.
    static var list: String {
        Scenario.all.map { "\($0.name.padded(to: 22)) \($0.title)" }
            .joined(separator: "\n") + "\n"
    }

    /// What opens the scenario (``Scenario/briefText(rule:timeLimitSeconds:auditLog:)``).
    var brief: String { scenario.briefText(rule: rule, timeLimitSeconds: timeLimit, auditLog: audit.path) }

    /// Plays the scenario on `lab` (cancel the task to stop it).
    func play(on lab: Lab) -> Task<ScenarioPlayer.Result, any Error> {
        let audit = self.audit
        let player = ScenarioPlayer(
            scenario: scenario, lab: lab, rule: rule, timeLimit: .seconds(timeLimit),
            previousShiftMaint: { server in try await Self.maint(server, on: lab, audit: audit) })
        return Task { try await player.play() }
    }

    /// The previous shift's MAINT, through the planner and executor like any operator's (audited, verified), so a
    /// reload that undoes it is found by `reapply`.
    static func maint(_ server: ServerID, on lab: Lab, audit: AuditLog) async throws {
        let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
        defer { Task { await driver.close() } }
        let snapshot = try await driver.snapshot()
        let intent = ActionIntent(
            targets: [try ServerRef(backend: server.backend, server: server.name)], operation: .setAdmin(.maint))
        let plan = try ActionPlanner.plan(intent, on: snapshot)
        _ = try await ActionExecutor(driver: driver, audit: audit, via: "previous shift").execute(
            plan, balancer: snapshot.info)
    }

    /// The debrief: the trainee's actions on this lab (the scenario's own setup left out) from the audit log.
    func debrief(_ result: ScenarioPlayer.Result, lab: Lab) -> ScenarioDebrief {
        let records = ((try? audit.records().records) ?? []).filter { record in
            record.via != "previous shift"
                && (record.socket.contains(lab.directory) || record.socket == lab.adminTCPAddress
                    || record.socket.hasSuffix("127.0.0.1:\(lab.adminTCPPort)"))
                && (AuditRecord.date(fromTimestamp: record.time).map { $0 >= result.startedAt } ?? false)
        }
        return ScenarioDebrief.build(
            scenario: scenario.name, title: scenario.title, ending: result.ending.rawValue,
            startedAt: result.startedAt, faultAt: result.faultAt, endedAt: result.endedAt, seconds: result.seconds,
            faultSecond: result.faultSecond, recoveredSecond: result.recoveredSecond, records: records,
            reference: scenario.reference, parSeconds: scenario.parSeconds, rule: rule)
    }

    /// Where the debrief's Markdown goes: `--debrief`, else beside the audit log.
    func debriefFile(startedAt: Date) -> String {
        if let debriefPath { return debriefPath }
        return audit.directory + "/debrief-\(scenario.name)-\(IncidentLog.compact(startedAt)).md"
    }
}
