import ArgumentParser
import ConsoleApp
import ConsoleRuntime
import FoundationEssentials
import Glibc
import HAProxyDriver
import NCursesBackend
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets
import TerminalUI

/// `switchboard [console]`: the live ncurses console.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the live console (the default command).",
        discussion: """
            Keys: ? shows every binding of the active keymap. Keymaps: default, vim, hatop, or a file; \
            $XDG_CONFIG_HOME/switchboard/keymap.toml overrides single bindings. NO_COLOR turns colours off.
            """)

    @OptionGroup var socket: SocketOptions
    @OptionGroup var console: ConsoleOptions

    func run() async throws {
        try await ExitCodes.reporting {
            let targets = try await socket.resolveTargets()
            let setup = try console.prepare(targets: targets, groups: try socket.groups())
            let connections = targets.map { target in
                let driver = socket.driver(
                    for: target, polling: SocketOptions.consolePolling(balancers: targets.count))
                return BalancerConnection(
                    id: BalancerID(target.name), driver: driver, executor: console.executor(driver))
            }
            _ = try await NCursesConsole.run(model: setup, balancers: connections)
            for connection in connections { await connection.driver.close() }
        }
    }
}

/// Options of the console, shared by `console` and `demo`.
struct ConsoleOptions: ParsableArguments {
    @Option(name: .long, help: "Refresh interval: 250ms, 1s, 2.5s… (0.1s–60s).")
    var interval: String = "1s"

    @Option(name: .long, help: "Keymap: default, vim, hatop, or a path to a .toml file.")
    var keymap: String?

    @Option(name: .long, help: "Theme: default, light, high-contrast, or a path to a .toml file (NO_COLOR wins).")
    var theme: String?

    @Flag(name: .long, help: "Send no changes to the balancer, whatever the socket's level.")
    var readOnly = false

    @Flag(
        name: .long,
        help: "No mouse: the terminal keeps its own text selection (also `mouse = false` in a keymap file).")
    var noMouse = false

    @Option(name: .long, help: "Audit log file (default: $XDG_STATE_HOME/switchboard/audit.jsonl).")
    var auditLog: String?

    @Flag(
        name: .long,
        help: "Ring the terminal bell on a critical event (server DOWN, backend on backups or without servers).")
    var bell = false

    /// The executor for the console's actions, auditing to `--audit-log` or the default log.
    func executor(_ driver: HAProxyDriver) -> ActionExecutor {
        ActionExecutor(
            driver: driver,
            audit: AuditLog(path: auditLog ?? AuditLog.defaultPath(), createsDirectories: auditLog == nil),
            via: "console")
    }

    func validate() throws {
        guard Self.parseInterval(interval) != nil else {
            throw ValidationError("--interval takes 0.1s to 60s, e.g. 500ms, 1s or 2.5s")
        }
    }

    /// A short label for an address typed with `--socket`: the socket file's directory and name, or the host.
    static func shortLabel(_ address: ControlSocketAddress) -> String {
        switch address {
        case .unix(let path):
            // A generic file name (`admin.sock`) says nothing: `/run/haproxy/admin.sock` → `haproxy`; others keep theirs.
            let parts = path.split(separator: "/")
            guard let file = parts.last else { return path }
            let generic = ["admin.sock", "haproxy.sock", "stats.sock", "stats", "master.sock"].contains(String(file))
            return generic && parts.count > 1 ? String(parts[parts.count - 2]) : String(file)
        case .tcp(let host, let port): return "\(host):\(port)"
        case .ssh(let ssh): return ssh.host
        }
    }

    static func parseInterval(_ text: String) -> Duration? {
        let seconds: Double?
        if text.hasSuffix("ms") {
            seconds = Double(text.dropLast(2)).map { $0 / 1000 }
        } else if text.hasSuffix("s") {
            seconds = Double(text.dropLast())
        } else {
            seconds = Double(text)
        }
        guard let seconds, (0.1...60).contains(seconds) else { return nil }
        return .milliseconds(Int((seconds * 1000).rounded()))
    }

    /// The initial model for `targets`; fails before the terminal is touched (bad keymap, no terminal).
    func prepare(targets: [BalancerTarget], groups: [TargetGroup] = []) throws -> ConsoleModel {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw SwitchboardError(
                .unusableTerminal,
                "the console needs a terminal; in scripts use `switchboard status` (add --json to parse it)")
        }
        if let problem = NCursesTerminal.problem(withTerminalType: ProcessInfo.processInfo.environment["TERM"]) {
            throw SwitchboardError(.unusableTerminal, problem)
        }
        let keymap: Keymap
        do {
            keymap = try KeymapLibrary.load(self.keymap)
        } catch let error as KeymapError {
            throw SwitchboardError(.invalidValue, error.description)
        }
        let palette: Palette
        do {
            palette = try ThemeLibrary.load(theme)
        } catch let error as ThemeError {
            throw SwitchboardError(.invalidValue, error.description)
        }
        let environment = ProcessInfo.processInfo.environment
        var model = ConsoleModel(
            width: 80, height: 24, now: Date(), interval: Self.parseInterval(interval) ?? .seconds(1), keymap: keymap,
            readOnly: readOnly, glyphs: .unicode, useColor: environment["NO_COLOR"].map(\.isEmpty) ?? true,
            balancers: targets.map { target in
                (
                    BalancerID(target.name),
                    BalancerProfile(
                        label: target.label == target.address.description
                            ? Self.shortLabel(target.address) : target.label,
                        colour: target.colour.flatMap { colour in Color.allCases.first { "\($0)" == colour.rawValue } },
                        readOnly: target.readOnly, exposedTCP: target.address.isExposedTCP,
                        capabilities: HAProxyDriver.supported)
                )
            })
        for group in groups { model.groups[group.name] = group.members.map { BalancerID($0) } }
        model.bellOnCritical = bell
        model.palette = palette
        model.mouseEnabled = !noMouse && keymap.mouse != false
        let audit = AuditLog(path: auditLog ?? AuditLog.defaultPath())
        if let unfinished = try? audit.unfinishedAttempts(), let last = unfinished.last {
            model.message = FooterMessage(
                text: "\(unfinished.count) attempt(s) with no recorded outcome (L shows them): "
                    + AuditLog.describeUnfinished(last),
                isError: true, until: Date().addingTimeInterval(15))
        }
        return model
    }
}
