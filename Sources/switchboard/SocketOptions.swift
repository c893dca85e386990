import ArgumentParser
import HAProxyDriver
import SwitchboardCore

/// The options every command that talks to a balancer shares.
struct SocketOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Control socket: a unix socket path or tcp://HOST:PORT (`status` takes several).",
            discussion: "Default: $SWITCHBOARD_SOCKET, then /run/haproxy/admin.sock and the other usual places."),
        completion: .file())
    var socket: [String] = []

    @Option(name: .long, help: "Seconds to wait for a connect or a reply (0.1–60).")
    var timeout: Double = 2

    func validate() throws {
        guard (0.1...60).contains(timeout) else {
            throw ValidationError("--timeout must be between 0.1 and 60 seconds")
        }
    }

    /// The socket to use: the one given, or the first of the usual places that answers. Only `status`
    /// reads several balancers so far; everything else refuses more than one `--socket` before connecting.
    func resolveAddress() async throws -> ControlSocketAddress {
        guard socket.count <= 1 else {
            throw SwitchboardError(
                .invalidValue,
                "several --socket given: only `switchboard status` reads several balancers so far; acting on or "
                    + "watching a fleet is not available yet — give one --socket; nothing was sent")
        }
        if let socket = socket.first { return try ControlSocketAddress(parsing: socket) }
        return try await SocketDiscovery.find(timeout: duration)
    }

    /// Every socket given (parsed, in order), or the one found in the usual places.
    func resolveAddresses() async throws -> [ControlSocketAddress] {
        if socket.isEmpty { return [try await SocketDiscovery.find(timeout: duration)] }
        return try socket.map(ControlSocketAddress.init(parsing:))
    }

    var duration: Duration { .milliseconds(Int(timeout * 1000)) }

    /// A driver on the resolved socket.
    func makeDriver() async throws -> HAProxyDriver {
        HAProxyDriver(address: try await resolveAddress(), options: .init(timeout: duration))
    }
}
