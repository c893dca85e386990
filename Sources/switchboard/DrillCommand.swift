import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import HAProxyDriver
import NCursesBackend
import NIOCore
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTargets

/// `switchboard drill`: an automated failover test on a real balancer — inject a failure of a backend's active
/// servers through the Runtime API, check that the backups (or the remaining servers) take the traffic in time
/// without errors, restore exactly the pre-drill states on every way out, and report. Exit 0 pass, 1 a hypothesis
/// failed, 2 aborted, 3 the restore was not verified (the report says what is left and how to finish). On several
/// balancers, one at a time, each restored before the next; the worst status wins.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Failover drill: take a backend's actives out, check who takes the traffic, restore, report.",
        discussion: """
            Injections: health-down (checks disabled, health forced down), agent-down, maint, weight-0. The \
            pre-drill states are recorded like a failover before anything is sent, so `switchboard failback \
            BACKEND` finishes a drill whose process was killed. SIGINT and SIGTERM stop the drill and restore. \
            On several balancers (--target, --group, several --socket) the drill runs on one at a time, each \
            restored before the next; an abort or an unfinished restore stops it there. \
            Exit 0 pass · 1 a hypothesis failed · 2 aborted · 3 restore not verified (the worst of the fleet).
            """)

    @Argument(help: "The backend drilled (or give --file).") var backend: String?
    @Option(name: .long, help: "A drill file (TOML, see the README) instead of the drill's flags.") var file: String?
    @Option(name: .long, help: "health-down, agent-down, maint or weight-0.") var inject = "health-down"
    @Option(name: .long, help: "How many active servers (default: every serving one).") var count: Int?
    @Option(name: .long, help: "Who must take the traffic: backups or remaining.") var expect = "backups"
    @Option(name: .long, help: "Within this time (10s, 500ms).") var within = "10s"
    @Option(name: .long, help: "How long the failure lasts (default: within + 10 s).") var duration: String?
    @Option(name: .long, help: "Percent of new sessions the expected servers must take.") var minShare: Double = 95
    @Option(name: .customLong("max-5xx"), help: "Hypothesis: the backend's 5xx per second stays at or below.")
    var maxErrors: Double = 5
    @Option(name: .long, help: "Hypothesis: at least this many servers serve throughout.") var minServing = 1
    @Option(name: .customLong("abort-5xx"), help: "Abort (and restore) above this many 5xx per second.")
    var abortErrors: Double?
    @Option(name: .long, help: "Abort (and restore) when no server is available this long.") var abortNoServer = "5s"
    @Option(name: .long, help: "Hypothesis: this http:// URL (e.g. the frontend) answers 2xx before, during, after.")
    var probe: String?
    @Option(name: .long, help: "Abort (and restore) when the probe has failed this long.") var abortProbe = "5s"
    @Option(name: .long, help: "Also write the report here (.json: JSON, else Markdown).") var report: String?
    @Flag(name: .long, help: "Print the plan and send nothing.") var dryRun = false
    @Flag(name: .long, help: "Run without asking (the drill restores on every way out).") var yes = false
    @Flag(name: .long, help: "Print the report as JSON instead of Markdown.") var json = false
    @Option(name: .long, help: "Audit log file (default: $XDG_STATE_HOME/switchboard/audit.jsonl).") var auditLog:
        String?
    @OptionGroup var socket: SocketOptions

    /// `10s`, `500ms`, `2m` or plain seconds.
    static func seconds(_ text: String, option: String) throws -> Double {
        let value: Double?
        if text.hasSuffix("ms") {
            value = Double(text.dropLast(2)).map { $0 / 1000 }
        } else if text.hasSuffix("m") {
            value = Double(text.dropLast()).map { $0 * 60 }
        } else if text.hasSuffix("s") {
            value = Double(text.dropLast())
        } else {
            value = Double(text)
        }
        guard let value, value.isFinite, value >= 0 else {
            throw ValidationError("--\(option) takes a time: 10s, 500ms, 2m")
        }
        return value
    }

    func spec() throws -> DrillSpec {
        if let file {
            guard backend == nil else {
                throw ValidationError("give the backend in the drill file or as an argument, not both")
            }
            let given = [
                ("--inject", inject != "health-down"), ("--count", count != nil), ("--expect", expect != "backups"),
                ("--within", within != "10s"), ("--duration", duration != nil), ("--min-share", minShare != 95),
                ("--max-5xx", maxErrors != 5), ("--min-serving", minServing != 1), ("--abort-5xx", abortErrors != nil),
                ("--abort-no-server", abortNoServer != "5s"), ("--probe", probe != nil),
                ("--abort-probe", abortProbe != "5s"),
            ].filter(\.1).map(\.0)
            guard given.isEmpty else {
                throw ValidationError(
                    "with --file the drill's settings come from the file; remove \(given.joined(separator: ", "))")
            }
            do {
                return try DrillFile.load(file)
            } catch let error as SwitchboardError {
                throw ValidationError(error.message)
            }
        }
        guard let backend else { throw ValidationError("name the backend to drill, or give --file") }
        guard let injection = DrillSpec.Injection(rawValue: inject) else {
            throw ValidationError(
                "--inject takes " + DrillSpec.Injection.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let expectation = DrillSpec.Expectation(rawValue: expect) else {
            throw ValidationError("--expect takes backups or remaining")
        }
        var spec = DrillSpec(backend: backend, injection: injection, count: count, expect: expectation)
        spec.within = try Self.seconds(within, option: "within")
        spec.duration = try duration.map { try Self.seconds($0, option: "duration") } ?? spec.within + 10
        spec.minimumShare = minShare
        spec.maximumErrorRate = maxErrors
        spec.minimumServing = minServing
        spec.abortErrorRate = abortErrors
        spec.abortNoServer = try Self.seconds(abortNoServer, option: "abort-no-server")
        do {
            spec.probe = try probe.map(DrillProbe.init(parsing:))
        } catch let error as SwitchboardError {
            throw ValidationError(error.message)
        }
        spec.abortProbe = try Self.seconds(abortProbe, option: "abort-probe")
        if let problem = spec.problem() { throw ValidationError(problem) }
        return spec
    }

    func validate() throws { _ = try spec() }

    func run() async throws {
        let spec = try self.spec()
        try await ExitCodes.reporting { try await drill(spec) }
    }

    /// Plans on every balancer picked, confirms once, drills them one at a time, reports.
    func drill(_ spec: DrillSpec) async throws {
        let targets = try await socket.resolveTargets()
        if !dryRun, let readOnly = targets.first(where: \.readOnly) {
            throw SwitchboardError(
                .accessDenied, "\(readOnly.name) is read_only in the targets file; nothing was sent")
        }
        let fleet = targets.count > 1
        let audit = AuditLog(path: auditLog ?? AuditLog.defaultPath(), createsDirectories: auditLog == nil)
        let say: @Sendable (String) -> Void = { line in
            StandardStream.error.write("drill: \(line)\n")
        }
        // Every balancer is read and planned before anything is injected anywhere: a backend missing on one,
        // or one that cannot be drilled, refuses the whole drill.
        var prepared: [(target: BalancerTarget, driver: HAProxyDriver, runner: DrillRunner)] = []
        defer { for node in prepared { Task { await node.driver.close() } } }
        for target in targets {
            let driver = socket.driver(for: target)
            prepared.append((target, driver, Self.runner(spec, driver: driver, audit: audit)))
            let (injected, plan) = try prepared.last!.runner.plan(on: try await driver.snapshot())
            say(
                "\(spec.backend) on \(target.name): \(spec.injection.rawValue) on "
                    + injected.map(\.description).joined(separator: ", ") + "; the \(spec.expect.rawValue) must "
                    + "take ≥ \(DrillReport.number(spec.minimumShare)) % of new sessions within "
                    + "\(DrillReport.number(spec.within)) s; lasts \(DrillReport.number(spec.duration)) s at most")
            for line in PlanPreview(plan).lines {
                switch line.kind {
                case .send: say("  send      " + line.text)
                case .capacity: say("  capacity  " + line.text)
                default: break
                }
            }
        }
        if fleet {
            say(
                "one balancer at a time (\(targets.map(\.name).joined(separator: " → "))): each is restored "
                    + "before the next; an abort or an unfinished restore stops the fleet drill")
        }
        if dryRun {
            say("dry run: nothing was sent")
            return
        }
        try confirm(spec.backend)
        let stop = DrillStop()
        let signals = StopSignals.install { stop.request("stopped by a signal (SIGINT or SIGTERM)") }
        defer { signals?.close() }
        var nodes: [FleetDrillReport.Node] = []
        var notDrilled: [String] = []
        for node in prepared {
            if let reason = stop.reason ?? Self.stopReason(after: nodes.last) {
                notDrilled.append("\(node.target.name) (\(reason))")
                continue
            }
            if fleet { say("== \(node.target.name)") }
            let name = node.target.name
            let progress: @Sendable (String) -> Void
            if fleet { progress = { line in say("\(name): \(line)") } } else { progress = say }
            nodes.append(.init(name: name, report: try await node.runner.run(stop: stop, progress: progress)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let exitCode: Int32
        let markdown: String
        let data: Data
        if fleet {
            let result = FleetDrillReport(backend: spec.backend, balancers: nodes, notDrilled: notDrilled)
            (exitCode, markdown, data) = (result.exitCode, result.markdown(), try encoder.encode(result))
        } else {
            let result = nodes[0].report
            (exitCode, markdown, data) = (result.exitCode, result.markdown(), try encoder.encode(result))
        }
        let json = data + Data("\n".utf8)
        StandardStream.output.write(bytes: self.json ? json : Data(markdown.utf8))
        if let report {
            do {
                try (report.hasSuffix(".json") ? json : Data(markdown.utf8)).write(to: URL(fileURLWithPath: report))
            } catch {
                say("cannot write the report to \(report): \(error)")
            }
        }
        for node in nodes where !node.report.restored {
            if let finish = node.report.finishWith {
                say(
                    "NOT RESTORED on \(node.name): \(node.report.leftToRestore.joined(separator: "; ")) — finish "
                        + "with: \(finish)")
            }
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Why the fleet drill stops after `node`: it aborted or was not restored (nil: go on).
    static func stopReason(after node: FleetDrillReport.Node?) -> String? {
        guard let node, node.report.exitCode >= 2 else { return nil }
        return "after \(node.name)'s drill " + (node.report.restored ? "aborted" : "was not restored")
    }

    /// The runner for one balancer: its executor (audited), the failover store beside the audit log, the probe.
    static func runner(_ spec: DrillSpec, driver: HAProxyDriver, audit: AuditLog) -> DrillRunner {
        var runner = DrillRunner(
            driver: driver, executor: ActionExecutor(driver: driver, audit: audit, via: "cli"),
            store: FailoverStore(besides: audit), spec: spec)
        runner.probeGet = Self.get
        return runner
    }

    /// The probe's GET (2 s at most): its status, or nil when nothing answered.
    @Sendable static func get(_ probe: DrillProbe) async -> Int? {
        try? await HTTPProbe.get(address: probe.host, port: probe.port, path: probe.path, timeout: .seconds(2)).status
    }

    /// `--yes`, or the backend's name typed on a terminal: a drill takes servers out on purpose.
    func confirm(_ backend: String) throws {
        if yes { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw SwitchboardError(
                .invalidValue,
                "a drill takes servers out and there is no terminal to confirm on: add --yes; nothing was sent")
        }
        StandardStream.error.write("Type \(backend) to run the drill: ")
        guard readLine() == backend else { throw SwitchboardError(.invalidValue, "not confirmed; nothing was sent") }
    }
}
