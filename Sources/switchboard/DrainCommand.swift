import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// `switchboard drain`.
struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Stop sending new sessions to servers; current sessions finish.")
    @Argument(help: "BACKEND/SERVER (or a server name with --everywhere).") var targets: [String]
    @OptionGroup var options: ActionOptions
    @Flag(name: .long, help: "Then wait until the servers have no session left, on every worker.") var wait = false
    @Option(name: .long, help: "Give up waiting after this many seconds.") var waitTimeout = 300
    @Flag(name: .long, help: "With --wait: put the servers in MAINT once no worker has a session left.")
    var thenMaint = false
    @Option(
        name: .long,
        help: "With --wait: when a reload loses the DRAIN, `reapply` it (audited) or `stop` waiting.")
    var onReload: String = "reapply"
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The master CLI socket (haproxy -S), to count the sessions an old worker still serves after a reload.",
            discussion: "Repeatable: one per balancer, in the order of the --socket options (a bare path on an "
                + "ssh:// balancer is on that host). Default: each target's master_socket in the targets file."))
    var masterSocket: [String] = []

    func validate() throws {
        guard DrainWaiter.ReloadPolicy(rawValue: onReload) != nil else {
            throw ValidationError("--on-reload takes reapply or stop")
        }
    }

    /// The balancers picked, each with its master socket: the `--master-socket`s in order (as many as balancers),
    /// else each target's own `master_socket`.
    static func withMasterSockets(_ sockets: [String], on picked: [BalancerTarget]) throws -> [BalancerTarget] {
        guard !sockets.isEmpty else { return picked }
        guard sockets.count == picked.count else {
            throw SwitchboardError(
                .invalidValue,
                "\(sockets.count) --master-socket for \(picked.count) balancer(s) (\(picked.map(\.name).joined(separator: ", "))): "
                    + "give one per balancer, in the order of --socket, or set master_socket in the targets file; "
                    + "nothing was sent")
        }
        return try zip(picked, sockets).map { target, socket in
            var target = target
            target.masterSocket = try target.masterAddress(parsing: socket)
            return target
        }
    }

    /// The master CLI of `target`, with its timeout and ssh settings, when it has one.
    static func masterCLI(of target: BalancerTarget, options: SocketOptions) -> MasterCLI? {
        target.masterSocket.map {
            MasterCLI(
                address: $0, timeout: options.duration(for: target),
                ssh: SSHOptions(command: target.sshCommand, sudo: target.sudo))
        }
    }

    func run() async throws {
        let wait = self.wait, timeout = waitTimeout, thenMaint = self.thenMaint, options = self.options
        let policy = DrainWaiter.ReloadPolicy(rawValue: onReload) ?? .reapply
        var master: MasterCLI?
        if wait {
            let picked = try await ExitCodes.reporting {
                try Self.withMasterSockets(masterSocket, on: try await options.socket.resolveTargets())
            }
            if picked.count > 1 {
                try await ExitCodes.reporting {
                    try await FleetDrainWait.run(
                        options, picked: picked, targets: targets, timeout: timeout, thenMaint: thenMaint,
                        policy: policy)
                }
                return
            }
            master = picked.first.flatMap { Self.masterCLI(of: $0, options: options.socket) }
        } else if !masterSocket.isEmpty {
            StandardStream.error.write("switchboard: --master-socket is for --wait\n")
            throw ExitCode(64)
        }
        try await ActionRunner.run(options, targets: targets, operation: .setAdmin(.drain)) {
            driver, outcome, _ in
            guard wait else { return }
            let ids = outcome.plan.intent.targets
            let local = if case .unix = driver.address { true } else { false }
            let waiter = DrainWaiter(driver: driver, master: master, local: local)
            let json = options.json
            let again = {
                var confirmed = options
                confirmed.yes = true
                return confirmed
            }()
            let result = try await waiter.wait(
                for: ids, timeout: .seconds(timeout), onReload: policy,
                reapply: { lost in
                    try await ActionRunner.run(again, targets: lost.map(\.description), operation: .setAdmin(.drain))
                },
                report: { line in if !json { print(line) } })
            switch result {
            case .empty:
                if thenMaint {
                    try await ActionRunner.run(again, targets: ids.map(\.description), operation: .setAdmin(.maint))
                }
            case .drainLost(let names):
                throw SwitchboardError(
                    .balancerReloading,
                    "a reload lost the DRAIN of \(names.joined(separator: ", ")) and --on-reload stop was given: "
                        + "nothing more was sent; drain again, or load a server-state file on reload")
            case .timedOut(let remaining):
                let what =
                    remaining.map { "\($0) session(s) still open" } ?? "an old worker's sessions could not be seen"
                throw SwitchboardError(
                    .timeout,
                    "\(what) after \(timeout) s" + (thenMaint ? "; MAINT was not sent" : ""))
            }
        }
    }
}

extension MasterCLI: DrainWaiter.MasterSessions {}
