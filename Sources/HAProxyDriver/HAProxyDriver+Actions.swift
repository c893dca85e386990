import SwitchboardCore

extension HAProxyDriver {
    /// The Runtime API command for an operator's intent.
    public static func command(for action: ServerAction) -> RuntimeCommand {
        switch action {
        case .setAdmin(let server, let mode): .setState(server, mode)
        case .setWeight(let server, let weight): .setWeight(server, weight)
        case .forceHealth(let server, let health): .setHealth(server, health)
        case .forceAgent(let server, let up): .setAgent(server, up: up)
        case .healthChecks(let server, let enabled): .healthChecks(server, enabled: enabled)
        case .agentChecks(let server, let enabled): .agentChecks(server, enabled: enabled)
        case .killSessions(let server): .shutdownSessions(server)
        }
    }
}
