/// Interprets a reply of HAProxy's Runtime API: strips the severity tag and turns refusals into
/// ``SwitchboardError``s with a message that says what to do.
///
/// With `set severity-output number`, messages come as `[3]: No such server.` (3 = error,
/// 4 = warning, 6 = info); dumps such as `show stat` are untagged. `Unknown command` is tagged `[6]`
/// although it is an error, so refusals are also recognised by their exact texts.
public enum HAProxyReply {
    /// A reply with its severity tag removed.
    public struct Message: Sendable, Hashable {
        /// The syslog severity from the tag (0–7), nil when untagged.
        public var severity: Int?
        /// The text without the tag and without trailing blank lines.
        public var text: String

        /// Makes a message.
        public init(severity: Int?, text: String) {
            self.severity = severity
            self.text = text
        }
    }

    /// Splits off a leading `[N]: ` or `[err]: `-style tag and trailing newlines.
    public static func message(_ raw: String) -> Message {
        var text = Substring(raw)
        while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
        var severity: Int?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]"),
            text[close...].hasPrefix("]: ")
        {
            let tag = text[text.index(after: text.startIndex)..<close]
            switch tag {
            case "emerg": severity = 0
            case "alert": severity = 1
            case "crit": severity = 2
            case "err": severity = 3
            case "warning": severity = 4
            case "notice": severity = 5
            case "info": severity = 6
            case "debug": severity = 7
            default: severity = Int(tag)
            }
            if severity != nil { text = text[text.index(close, offsetBy: 3)...] }
        }
        return Message(severity: severity, text: String(text))
    }

    /// Returns the reply's text when HAProxy accepted `command`, or throws the matching error.
    ///
    /// - Parameters:
    ///   - raw: the reply as received, without the prompt.
    ///   - command: the command line that was sent, quoted in error messages.
    public static func check(_ raw: String, command: String) throws -> Message {
        let message = message(raw)
        if let error = refusal(message, command: command) { throw error }
        return message
    }

    /// The error a reply stands for, or nil when it is not a refusal.
    public static func refusal(_ message: Message, command: String) -> SwitchboardError? {
        let text = message.text
        let firstLine = text.prefix { $0 != "\n" }
        let quoted = "`\(command)`"
        if firstLine.hasPrefix("Permission denied") {
            return SwitchboardError(
                .accessDenied,
                "HAProxy refused \(quoted): permission denied — this socket's access level is too low; "
                    + "use a socket declared `level admin` in haproxy.cfg", cause: String(firstLine))
        }
        if firstLine.hasPrefix("No such backend.") || firstLine.hasPrefix("No such proxy.") {
            return SwitchboardError(
                .noSuchBackend, "HAProxy has no such backend in \(quoted) — list them with `switchboard status`",
                cause: String(firstLine))
        }
        if firstLine.hasPrefix("No such server.") {
            return SwitchboardError(
                .noSuchServer, "HAProxy has no such server in \(quoted) — list them with `switchboard status`",
                cause: String(firstLine))
        }
        if firstLine.hasPrefix("Unknown command") {
            return SwitchboardError(
                .unknownCommand, "HAProxy does not know the command \(quoted) (this HAProxy version may lack it)",
                cause: "Unknown command")
        }
        if firstLine.hasPrefix("Proxy is disabled.") {
            return SwitchboardError(
                .balancerReloading,
                "HAProxy answered \(quoted) from a worker that is shutting down (reload in progress); "
                    + "nothing was changed — reconnect and retry", cause: String(firstLine))
        }
        if let severity = message.severity, severity <= 3 {
            return SwitchboardError(.refused, "HAProxy refused \(quoted): \(firstLine)", cause: String(firstLine))
        }
        if message.severity == nil, knownErrorPrefixes.contains(where: { firstLine.hasPrefix($0) }) {
            return SwitchboardError(.refused, "HAProxy refused \(quoted): \(firstLine)", cause: String(firstLine))
        }
        return nil
    }

    /// Error texts that arrive untagged on sessions without severity output (measured on 2.6).
    static let knownErrorPrefixes = [
        "Require 'backend/server'", "Absolute weight can only be", "Empty weight string",
        "Trailing garbage in weight string", "'set server <srv>", "agent checks are not enabled",
        "Invalid addr", "maxconn string empty", "Only servers in maintenance mode",
        "This server cannot be removed", "Already exists a server", "usage:", "No such frontend.",
        "All sockets are already", "Unknown map identifier", "entry not found", "Key not found",
        "Backend is using a static LB",
    ]
}
