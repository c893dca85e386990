import ArgumentParser

/// The `switchboard` command: an operator console for load balancers, and its scriptable commands.
@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Operator console for load balancers (HAProxy Runtime API).",
        discussion: """
            Exit codes: 0 ok · 1 refused by the balancer · 64 usage · 65 invalid name or value · \
            66 socket not found · 69 balancer unavailable · 75 timeout or reload (retry) · \
            76 not a HAProxy socket / unreadable output · 77 permission or access level too low · \
            3 sent but not verified.
            """,
        subcommands: [
            ConsoleCommand.self, StatusCommand.self, DrainCommand.self, ReadyCommand.self, MaintCommand.self,
            WeightCommand.self, HealthCommand.self, AgentCommand.self, KillSessionsCommand.self, FailoverCommand.self,
            FailbackCommand.self, RedistributeCommand.self, DemoCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )
}
