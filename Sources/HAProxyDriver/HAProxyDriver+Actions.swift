import SwitchboardCore

extension HAProxyDriver {
    /// The Runtime API command for an operator's intent.
    public static func command(for action: ServerAction) -> RuntimeCommand {
        RuntimeCommand(for: action)
    }
}
