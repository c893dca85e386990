import ArgumentParser
import HAProxyDriver
import SwitchboardCore

/// The options every command that talks to a balancer shares.
struct SocketOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Control socket: a unix socket path or tcp://HOST:PORT.",
            discussion: "Default: $SWITCHBOARD_SOCKET, then /run/haproxy/admin.sock and the other usual places."),
        completion: .file())
    var socket: String?

    @Option(name: .long, help: "Seconds to wait for a connect or a reply (0.1–60).")
    var timeout: Double = 2

    func validate() throws {
        guard (0.1...60).contains(timeout) else {
            throw ValidationError("--timeout must be between 0.1 and 60 seconds")
        }
    }

    /// The socket to use: the one given, or the first of the usual places that answers.
    func resolveAddress() async throws -> ControlSocketAddress {
        if let socket { return try ControlSocketAddress(parsing: socket) }
        return try await SocketDiscovery.find(timeout: duration)
    }

    var duration: Duration { .milliseconds(Int(timeout * 1000)) }

    /// A driver on the resolved socket.
    func makeDriver() async throws -> HAProxyDriver {
        HAProxyDriver(address: try await resolveAddress(), options: .init(timeout: duration))
    }
}
