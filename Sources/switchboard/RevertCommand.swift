import ArgumentParser
import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

/// `switchboard revert --incident`: every server changed by an action since the incident started, put back as it
/// was then — one plan per balancer from its own records, compare-and-set, previewed, confirmed where it reduces
/// capacity, verified and audited like any action. A server someone else changed since the last action on it is
/// left alone (named in the preview).
struct RevertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Put every server changed since the incident started back to its state then.")

    @Flag(name: .long, help: "Revert to the start of the open incident, else the last one marked (required).")
    var incident = false

    @Option(name: .long, help: "This incident instead (see switchboard incident show).")
    var id: String?

    @OptionGroup var options: ActionOptions

    func validate() throws {
        guard incident || id != nil else { throw ValidationError("revert needs --incident (or --id INCIDENT)") }
    }

    func run() async throws {
        let options = self.options, id = self.id
        try await ExitCodes.reporting {
            let audit = ActionRunner.auditLog(options)
            let incidents = try IncidentLog(besides: audit).incidents()
            let chosen =
                id.map { id in incidents.first { $0.id == id } }
                ?? (incidents.last { $0.end == nil } ?? incidents.last)
            guard let chosen else {
                throw SwitchboardError(
                    .invalidValue,
                    id.map { "no incident \($0) on file" }
                        ?? "no incident on file (mark one: switchboard incident start)")
            }
            let records = try audit.records().records
            if !options.json {
                print(
                    "revert to the start of incident \(chosen.id) (\(AuditRecord.timestamp(chosen.start)))"
                        + (chosen.title.isEmpty ? "" : ": \(chosen.title)"))
            }
            try await FleetActionRunner.runPlanned(options, picked: try await options.socket.resolveTargets()) {
                _, snapshot in
                let states = IncidentRevert.states(in: records, socket: snapshot.info.socket, since: chosen.start)
                guard !states.before.isEmpty else { return nil }
                var plan = try ActionPlanner.undo(states.before, leftAs: states.leftAs, on: snapshot)
                guard !plan.steps.isEmpty else { return nil }
                plan.label = "revert to incident start"
                return plan
            }
        }
    }
}
