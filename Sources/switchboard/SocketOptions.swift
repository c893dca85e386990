import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardTargets

/// The options every command that talks to balancers shares: which balancers (`--socket`, or names from the
/// targets file) and how long to wait for each.
struct SocketOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Control socket: a unix socket path, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]/path (repeatable).",
            discussion: "Default: the targets file's default group, else $SWITCHBOARD_SOCKET, then "
                + "/run/haproxy/admin.sock and the other usual places."),
        completion: .file())
    var socket: [String] = []

    @Option(
        name: .long, help: "Targets file (default: $XDG_CONFIG_HOME/switchboard/targets.toml).",
        completion: .file(extensions: ["toml"]))
    var targets: String?

    @Option(name: .customLong("target"), help: "A balancer named in the targets file (repeatable).")
    var targetNames: [String] = []

    @Option(name: .long, help: "A group of balancers named in the targets file.")
    var group: String?

    @Option(name: .long, help: "Seconds to wait for a connect or a reply (0.1–60; a target's own timeout wins).")
    var timeout: Double = 2

    func validate() throws {
        guard (0.1...60).contains(timeout) else {
            throw ValidationError("--timeout must be between 0.1 and 60 seconds")
        }
        if !socket.isEmpty && (!targetNames.isEmpty || group != nil) {
            throw ValidationError("give balancers either with --socket or with --target/--group, not both")
        }
    }

    /// The balancers picked, in order: `--socket`s; else `--target`/`--group` (or the default group) of the
    /// targets file; else the first of the usual socket places that answers. A bad targets file is refused here,
    /// before anything is contacted.
    func resolveTargets(environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> [BalancerTarget]
    {
        if !socket.isEmpty {
            return try socket.map { BalancerTarget.adHoc(try ControlSocketAddress(parsing: $0)) }
        }
        let path = targets ?? TargetsFile.defaultPath(environment: environment)
        let fileExists = path.map { FileManager.default.fileExists(atPath: $0) } ?? false
        if targets != nil || !targetNames.isEmpty || group != nil
            || (fileExists && (environment["SWITCHBOARD_SOCKET"] ?? "").isEmpty)
        {
            guard let path, fileExists || targets != nil else {
                throw SwitchboardError(
                    .invalidValue,
                    "--target/--group need a targets file: none at \(path ?? "$XDG_CONFIG_HOME/switchboard/targets.toml") "
                        + "(see the README's \"Targets\" section, or pass --targets PATH)")
            }
            let file: TargetsFile
            do {
                file = try TargetsFile(contentsOf: path)
            } catch let error as TargetsFileError {
                throw SwitchboardError(.invalidValue, error.description + "; nothing was contacted")
            }
            return try file.select(targets: targetNames, group: group)
        }
        return [BalancerTarget.adHoc(try await SocketDiscovery.find(timeout: duration))]
    }

    /// The targets file's groups (none when balancers were given with `--socket` or no file is used).
    func groups(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [TargetGroup] {
        guard socket.isEmpty, let path = targets ?? TargetsFile.defaultPath(environment: environment),
            FileManager.default.fileExists(atPath: path)
        else { return [] }
        return (try? TargetsFile(contentsOf: path))?.groups ?? []
    }

    /// The one balancer of a command that acts on one. Fleet-wide actions come later (issue 10): more than one
    /// is refused before connecting.
    func resolveTarget() async throws -> BalancerTarget {
        let picked = try await resolveTargets()
        guard picked.count == 1, let only = picked.first else {
            throw SwitchboardError(
                .invalidValue,
                "\(picked.count) balancers picked (\(picked.map(\.name).joined(separator: ", "))): only `switchboard status`, "
                    + "`targets` and the console read several balancers so far; acting on a fleet is not available "
                    + "yet — pick one with --target or --socket; nothing was sent")
        }
        return only
    }

    /// The socket of the one balancer picked.
    func resolveAddress() async throws -> ControlSocketAddress { try await resolveTarget().address }

    var duration: Duration { .milliseconds(Int(timeout * 1000)) }

    /// The deadline for `target`: its own timeout, else `--timeout`.
    func duration(for target: BalancerTarget) -> Duration {
        target.timeout.map { .milliseconds(Int($0 * 1000)) } ?? duration
    }

    /// A driver for `target`, with its timeout and ssh settings.
    func driver(
        for target: BalancerTarget, session: HAProxyDriver.Options.Session = .persistent,
        polling: HAProxyDriver.Polling = HAProxyDriver.Polling()
    ) -> HAProxyDriver {
        HAProxyDriver(
            address: target.address,
            options: .init(
                timeout: duration(for: target), session: session,
                ssh: SSHOptions(command: target.sshCommand, sudo: target.sudo)),
            polling: polling)
    }

    /// Polling for a console on `count` balancers: on a fleet, selective above 200 servers per balancer (the
    /// servers on screen every refresh, every server's state every 4 s), so the client's cost stays small.
    static func consolePolling(balancers count: Int) -> HAProxyDriver.Polling {
        var polling = HAProxyDriver.Polling()
        if count > 1 { polling.fullPollLimit = 200 }
        return polling
    }

    /// A driver on the one balancer picked; a `read_only` target refuses actions before connecting when `writes`.
    func makeDriver(writes: Bool = false) async throws -> HAProxyDriver {
        let target = try await resolveTarget()
        if writes && target.readOnly {
            throw SwitchboardError(
                .accessDenied, "\(target.name) is read_only in the targets file; nothing was sent")
        }
        return driver(for: target)
    }
}
