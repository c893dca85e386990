import ArgumentParser
import CTermGuard
import FoundationEssentials

/// The `switchboard` command: an operator console for load balancers, and its scriptable commands.
@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Operator console for load balancers (HAProxy Runtime API).",
        discussion: """
            Exit codes: 0 ok · 1 refused by the balancer · 3 sent but not verified · \
            4 status: some of several balancers did not answer · 64 usage · \
            65 invalid name or value, confirmation missing · 66 socket not found · 69 balancer unavailable · \
            73 audit log cannot be written (nothing sent) · 75 timeout or reload (retry) · \
            76 not a HAProxy socket / unreadable output · 77 permission or access level too low · \
            78 no usable terminal for the console. On several balancers: 5 a node failed and the others \
            were rolled back · 6 partly applied and kept · 7 refused before sending (a node cannot take part).
            """,
        version: Switchboard.versionText,
        subcommands: [
            ConsoleCommand.self, StatusCommand.self, DrainCommand.self, ReadyCommand.self, MaintCommand.self,
            WeightCommand.self, HealthCommand.self, AgentCommand.self, KillSessionsCommand.self, FailoverCommand.self,
            FailbackCommand.self, RedistributeCommand.self, MakeConsistentCommand.self, ReapplyCommand.self,
            DemoCommand.self,
            TargetsCommand.self, EventsCommand.self, IncidentCommand.self, TimelineCommand.self, RevertCommand.self,
            DrillCommand.self, RoutesCommand.self, RouteCommand.self, FailoverRoutesCommand.self,
            FailbackRoutesCommand.self, InstallCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    /// The release this source is.
    static let release = "0.13.0"

    /// `switchboard 0.13.0 (commit 1a2b3c4d5e6f)`: `--version`.
    static var versionText: String { "switchboard \(release) (commit \(BuildInfo.commit))" }

    /// Line-buffered output whatever stdout is (a pipe, `tee`, a runbook log): every progress line is
    /// out when it is printed, and a killed run leaves a trace of what it sent. Then the usual parsing.
    static func main() async {
        CTermGuard_line_buffer_stdio()
        CTermGuard_limit_malloc_arenas(
            Int32(ProcessInfo.processInfo.environment["SWITCHBOARD_MALLOC_ARENAS"].flatMap { Int32($0) } ?? 2))
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
