import Logging
import NIOCore
import NIOPosix
import SwitchboardCore

/// A ``BalancerDriver`` for HAProxy's Runtime API over a unix or TCP control socket.
///
/// - Holds at most **one** connection per balancer (HAProxy serves 10 CLI connections in total,
///   shared by every stats socket; a leak locks every operator out). Requests are serialised by the actor.
/// - Every connect and every reply has a deadline (``Options/timeout``, 2 s by default).
/// - Persistent sessions use prompt mode and `set severity-output number`; ``Options/Session/oneShot``
///   opens one connection per command and reads until EOF.
/// - After a reload a persistent session silently stays on the old worker (`Stopping: 1`, writes fail
///   with `Proxy is disabled.`). The driver notices and reconnects to the new worker.
///
/// ```swift
/// let driver = HAProxyDriver(address: try ControlSocketAddress(parsing: "/run/haproxy/admin.sock"))
/// let snapshot = try await driver.snapshot()
/// ```
public actor HAProxyDriver: BalancerDriver {
    /// How the driver talks to the socket.
    public struct Options: Sendable {
        /// How commands are framed.
        public enum Session: Sendable {
            /// One long-lived prompt-mode session (the default; what a console wants).
            case persistent
            /// A new connection per command, reply read until EOF.
            case oneShot
        }

        /// Deadline for a connect and for each reply.
        public var timeout: Duration
        /// Persistent or one-shot.
        public var session: Session
        /// For `ssh://` addresses: the ssh command and whether the bridge runs under `sudo -n`.
        public var ssh: SSHOptions
        /// How long a forced health state waits for a check still running after checks were disabled.
        public var inFlightCheckWait: Duration

        /// Makes options.
        public init(
            timeout: Duration = .seconds(2), session: Session = .persistent, ssh: SSHOptions = SSHOptions(),
            inFlightCheckWait: Duration = .seconds(5)
        ) {
            self.timeout = timeout
            self.session = session
            self.ssh = ssh
            self.inFlightCheckWait = inFlightCheckWait
        }
    }

    /// The socket this driver talks to.
    public nonisolated let address: ControlSocketAddress
    /// The options in force.
    public nonisolated let options: Options
    /// HAProxy can do everything the console offers.
    public nonisolated var capabilities: DriverCapabilities { Self.supported }
    /// What this driver supports (read by the console before a driver exists, to grey out what a node cannot do).
    public static let supported: DriverCapabilities = [
        .drain, .maintenance, .liveWeights, .forceHealth, .agentControl, .toggleChecks, .killSessions,
        .rawCommands, .inFlightLoad,
    ]

    /// Selective polling settings (see ``Polling``).
    public nonisolated let polling: Polling
    var cache = PollingCache()
    let logger: Logger
    private let group: any EventLoopGroup
    private var connection: ControlConnection?
    private var level: AccessLevel?
    private var lastPid: Int?
    /// How many times the driver moved to a new worker after a reload.
    public private(set) var reloadsFollowed = 0
    /// How many connections the driver opened (for tests of connection hygiene).
    public private(set) var connectionsOpened = 0
    /// The last 200 command lines sent, oldest first (for tests and the audit of polling cost).
    public private(set) var recentCommands: [String] = []

    /// Makes a driver; nothing is connected until the first call.
    public init(
        address: ControlSocketAddress, options: Options = Options(), polling: Polling = Polling(),
        logger: Logger = Logger(label: "switchboard.haproxy", factory: { _ in SwiftLogNoOpLogHandler() }),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.address = address
        self.options = options
        self.polling = polling
        self.logger = logger
        self.group = group
    }

    private var timeAmount: TimeAmount {
        let (seconds, attoseconds) = options.timeout.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    // MARK: BalancerDriver

    /// Connects if needed and returns who the balancer is, with the socket's access level.
    public func connect() async throws -> BalancerInfo {
        try await currentInfo()
    }

    /// Reads `show info`, `show stat` and `show servers state` into one snapshot.
    public func snapshot() async throws -> BalancerSnapshot {
        let info = try await currentInfo()
        return try await fullSnapshot(info: info)
    }

    /// Sends the command for `action`; throws HAProxy's refusal as a ``SwitchboardError``.
    ///
    /// A forced health state waits first (up to ``Options/inFlightCheckWait``) for a check that was already
    /// running when checks were disabled: HAProxy still applies that check's result when it finishes, which
    /// would silently undo the forced state a moment after it was set.
    public func perform(_ action: ServerAction) async throws -> CommandExchange {
        if case .forceHealth(let server, _) = action {
            try await waitForDisabledCheckToFinish(server)
        }
        return try await execute(RuntimeCommand(for: action))
    }

    /// Sends one command; a write refused by a stopping worker is re-sent once on the new worker.
    public func execute(_ command: RuntimeCommand) async throws -> CommandExchange {
        do {
            return try await exchangeChecked(command)
        } catch let error as SwitchboardError where error.code == .balancerReloading && options.session == .persistent {
            // The old worker refused it, so nothing changed: move to the new worker and try once more.
            logger.notice(
                "old worker refused a command during a reload; reconnecting", metadata: ["command": "\(command)"])
            await dropConnection()
            _ = try await currentInfo()
            return try await exchangeChecked(command)
        }
    }

    /// Closes the connection; the next call opens a new one.
    public func close() async {
        await dropConnection()
    }

    /// The access level of the socket (asks HAProxy once per connection).
    public func accessLevel() async throws -> AccessLevel {
        if let level { return level }
        return try await detectLevel()
    }

    /// Reads the servers states alone (`show servers state`), the cheap way to track every server.
    public func serversState() async throws -> ServersState {
        try ServersState(parsing: String(buffer: try await read(.showServersState())))
    }

    /// Reads `show stat` with a filter, the cheap way to poll at 10,000 servers.
    public func stat(_ filter: RuntimeCommand.StatFilter) async throws -> StatTable {
        try StatTable(bytes: Array(try await read(.showStat(filter)).readableBytesView))
    }

    // MARK: Internals

    /// `show info`, following a reload: an answer from a stopping worker drops the session and asks again.
    func currentInfo() async throws -> BalancerInfo {
        var info = try ShowInfo(parsing: String(buffer: try await read(.showInfo)))
        if info.stopping && options.session == .persistent {
            logger.notice(
                "session is on a stopping worker after a reload; reconnecting", metadata: ["pid": "\(info.pid)"])
            await dropConnection()
            info = try ShowInfo(parsing: String(buffer: try await read(.showInfo)))
        }
        if let lastPid, lastPid != info.pid {
            reloadsFollowed += 1
            logger.notice("balancer worker changed", metadata: ["from": "\(lastPid)", "to": "\(info.pid)"])
        }
        lastPid = info.pid
        let level = try await accessLevel()
        return info.balancerInfo(socket: address.description, level: level)
    }

    private func exchangeChecked(_ command: RuntimeCommand) async throws -> CommandExchange {
        let reply = command.isWrite ? try await write(command) : try await read(command)
        let message = try HAProxyReply.check(String(buffer: reply), command: command.line)
        return CommandExchange(command: command.line, reply: message.text)
    }

    /// A read: if the session died (idle timeout, reload) it is reopened and the read retried once.
    func read(_ command: RuntimeCommand) async throws -> ByteBuffer {
        do {
            return try await send(command.line)
        } catch let error as SwitchboardError where error.code == .connectionLost {
            await dropConnection()
            return try await send(command.line)
        }
    }

    /// A write is never retried after it may have reached HAProxy.
    private func write(_ command: RuntimeCommand) async throws -> ByteBuffer {
        try await send(command.line)
    }

    /// True while a request (and any connection it opens) is in progress: the actor alone does not serialise
    /// requests, since a call suspended on the socket lets the next one in (actor reentrancy). Under load the
    /// console's refresh and a fleet action's read-back once interleaved on one session and a reply went to
    /// the wrong request (`show info did not report Pid and Version`).
    private var requestInProgress = false
    /// The requests waiting for their turn, in order.
    private var waitingRequests: [CheckedContinuation<Void, Never>] = []

    private func takeTurn() async {
        guard requestInProgress else {
            requestInProgress = true
            return
        }
        await withCheckedContinuation { waitingRequests.append($0) }
    }

    private func endTurn() {
        if waitingRequests.isEmpty {
            requestInProgress = false
        } else {
            waitingRequests.removeFirst().resume()  // the turn passes on: still in progress
        }
    }

    private func send(_ line: String) async throws -> ByteBuffer {
        await takeTurn()
        defer { endTurn() }
        if recentCommands.count >= 200 { recentCommands.removeFirst(recentCommands.count - 199) }
        recentCommands.append(line)
        switch options.session {
        case .oneShot:
            let connection = try await ControlConnection.open(
                address, framing: .endOfFile, timeout: timeAmount, group: group, ssh: options.ssh)
            connectionsOpened += 1
            defer { Task { await connection.close() } }
            return try await connection.request(line, timeout: timeAmount)
        case .persistent:
            let connection = try await persistentConnection()
            do {
                return try await connection.request(line, timeout: timeAmount)
            } catch {
                await dropConnection()
                throw error
            }
        }
    }

    private func persistentConnection() async throws -> ControlConnection {
        if let connection, connection.isActive { return connection }
        await dropConnection()
        let opened = try await ControlConnection.open(
            address, framing: .prompt, timeout: timeAmount, group: group, ssh: options.ssh)
        connectionsOpened += 1
        do {
            let greeting = try await opened.request("prompt", timeout: timeAmount)
            guard String(buffer: greeting).allSatisfy({ $0 == "\n" || $0 == "\r" }) else {
                throw SwitchboardError(
                    .notHAProxy, "\(address) answered, but not like HAProxy's Runtime API",
                    cause: "got '\(String(String(buffer: greeting).prefix(60)))'")
            }
            _ = try await opened.request("set severity-output number", timeout: timeAmount)
        } catch let error as SwitchboardError where error.code == .connectionLost {
            await opened.close()
            throw SwitchboardError(
                .notHAProxy,
                "\(address) closed the connection instead of answering `prompt` — is it HAProxy's stats socket?")
        } catch {
            await opened.close()
            throw error
        }
        connection = opened
        level = nil
        return opened
    }

    private func detectLevel() async throws -> AccessLevel {
        let reply = HAProxyReply.message(String(buffer: try await read(.showCLILevel)))
        let detected = AccessLevel(rawValue: reply.text.trimmingWhitespace()) ?? .user
        if options.session == .persistent { level = detected }
        return detected
    }

    private func dropConnection() async {
        if let connection {
            self.connection = nil
            level = nil
            await connection.close()
        }
    }
}
