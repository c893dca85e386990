import ArgumentParser
import FoundationEssentials
import Glibc
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps

/// Options shared by every command that changes a balancer.
struct ActionOptions: ParsableArguments {
    @OptionGroup var socket: SocketOptions

    @Flag(name: .long, help: "Print the commands and the impact; send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Confirm an action that reduces capacity (required without a terminal).")
    var yes = false

    @Option(
        name: .long,
        help: "When the action leaves a backend with no active server serving: type that backend's name here.")
    var confirm: String?

    @Flag(name: .long, help: "Also disable the agent check first, so an agent reply of `ready` cannot undo the change.")
    var disableAgent = false

    @Flag(name: .long, help: "Also disable health checks first, so a forced health state sticks.")
    var disableChecks = false

    @Flag(name: .long, help: "Targets are server names (or addresses): act on that server in every backend.")
    var everywhere = false

    @Option(name: .long, help: "Audit log file (default: $XDG_STATE_HOME/switchboard/audit.jsonl).")
    var auditLog: String?

    @Flag(name: .long, help: "Print the plan and the outcome as JSON.")
    var json = false

    @Flag(name: .long, help: "On several balancers: one after the other instead of all at once.")
    var serial = false

    @Option(name: .long, help: "With --serial: failures tolerated before the run stops (default 0).")
    var maxFail = 0

    @Option(name: .long, help: "With --serial: seconds to wait between two balancers.")
    var pause: Double = 0

    @Flag(name: .long, help: "On several balancers: keep what applied when one fails (default: roll it back).")
    var noRollback = false

    @Option(
        name: .long,
        help: "On several balancers: leave this one out (repeatable); refused otherwise when it cannot take part.")
    var exclude: [String] = []

    func validate() throws {
        guard (0...1_000).contains(maxFail) else { throw ValidationError("--max-fail takes 0–1000") }
        guard (0...3_600).contains(pause) else { throw ValidationError("--pause takes 0–3600 seconds") }
        if (maxFail > 0 || pause > 0) && !serial { throw ValidationError("--max-fail and --pause need --serial") }
    }
}

/// Runs an intent from the command line: plan, preview, confirm, execute, verify, audit.
enum ActionRunner {
    /// Exit code when the change was sent but not observed before the deadline.
    static let notVerified: Int32 = 3

    static func run(
        _ options: ActionOptions, targets: [String], operation: ActionIntent.Operation,
        afterwards: ((HAProxyDriver, ActionOutcome, BalancerSnapshot) async throws -> Void)? = nil
    ) async throws {
        try await ExitCodes.reporting {
            let picked = try await options.socket.resolveTargets()
            if picked.count > 1 {
                try await FleetActionRunner.run(options, picked: picked, targets: targets, operation: operation)
                return
            }
            let refs = options.everywhere ? [] : try targets.map(ServerRef.init(parsing:))
            if options.everywhere {
                for name in targets where !name.contains(":") { _ = try ObjectName(name, kind: "server") }
            }
            let driver = try await options.socket.makeDriver(writes: !options.dryRun)
            defer { Task { await driver.close() } }
            let snapshot = try await driver.snapshot()
            var intentTargets = refs
            if options.everywhere {
                intentTargets = targets.flatMap { ActionIntent.everywhere($0, in: snapshot) }
                guard !intentTargets.isEmpty else {
                    throw SwitchboardError(
                        .noSuchServer, "no server named \(targets.joined(separator: ", ")) in any backend")
                }
            }
            let intent = ActionIntent(
                targets: intentTargets, operation: operation, disableAgentFirst: options.disableAgent,
                disableChecksFirst: options.disableChecks)
            try await execute(
                try ActionPlanner.plan(intent, on: snapshot), options: options, driver: driver, snapshot: snapshot,
                afterwards: afterwards)
        }
    }

    /// Preview, confirm, execute, verify and audit one plan; throws the exit code on failure.
    static func execute(
        _ plan: ActionPlan, options: ActionOptions, driver: HAProxyDriver, snapshot: BalancerSnapshot,
        preview extra: [String] = [],
        afterwards: ((HAProxyDriver, ActionOutcome, BalancerSnapshot) async throws -> Void)? = nil,
        onFailure: ((ActionOutcome) async throws -> Void)? = nil
    ) async throws {
        let out = Output(json: options.json)
        if !options.json { for line in extra { print(line) } }
        let audit = auditLog(options)
        warnUnfinished(audit)
        out.preview(plan)
        if options.dryRun {
            out.finish(plan: plan, outcome: nil, dryRun: true)
            return
        }
        try confirm(plan, options: options)
        let executor = ActionExecutor(driver: driver, audit: audit, via: "cli")
        var plan = plan
        var outcome: ActionOutcome?
        // Compare-and-set: when the balancer moved between the preview and the send, the executor sends
        // nothing and hands back the plan re-projected on the new state: show it and confirm it again.
        for _ in 0..<3 {
            do {
                outcome = try await executor.execute(plan, balancer: snapshot.info)
                break
            } catch let changed as PlanChanged {
                plan = changed.recheck.plan
                if !options.json {
                    print("CHANGED   the balancer changed since this plan was computed; nothing was sent:")
                    for change in changed.recheck.changes { print("  changed   " + change) }
                }
                out.preview(plan)
                try confirm(plan, options: options)
            }
        }
        guard let outcome else {
            throw SwitchboardError(
                .planChanged, "the balancer kept changing under the plan (3 tries); nothing was sent — try again")
        }
        out.finish(plan: plan, outcome: outcome, dryRun: false)
        if !outcome.succeeded { try await onFailure?(outcome) }
        if let failure = outcome.failure { throw ExitCode(ExitCodes.code(for: failure)) }
        guard outcome.verified else { throw ExitCode(notVerified) }
        try await afterwards?(driver, outcome, snapshot)
    }

    static func auditLog(_ options: ActionOptions) -> AuditLog {
        AuditLog(path: options.auditLog ?? AuditLog.defaultPath(), createsDirectories: options.auditLog == nil)
    }

    /// Attempts of the last 24 hours whose outcome was never recorded, on stderr: their effect is unknown.
    static func warnUnfinished(_ audit: AuditLog) {
        let since = AuditRecord.timestamp(Date().addingTimeInterval(-86_400))
        let unfinished = ((try? audit.unfinishedAttempts()) ?? []).filter { $0.time >= since }
        for record in unfinished.suffix(5) {
            StandardStream.error.write("switchboard: \(AuditLog.describeUnfinished(record))\n")
        }
    }

    /// Confirmation: `--yes` (and `--confirm BACKEND` when a backend would be left without active
    /// servers), or a prompt on a terminal; without either, refuse.
    static func confirm(_ plan: ActionPlan, options: ActionOptions) throws {
        guard plan.reducesCapacity else { return }
        let emptied = plan.emptiedBackends
        if options.yes {
            for backend in emptied where options.confirm != backend {
                throw SwitchboardError(
                    .invalidValue,
                    "this leaves \(backend) with no active server serving: add --confirm \(backend) to proceed; nothing was sent"
                )
            }
            return
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw SwitchboardError(
                .invalidValue,
                "this reduces capacity and there is no terminal to confirm on: add --yes; nothing was sent")
        }
        StandardStream.error.write("Proceed? [y/N] ")
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
            throw SwitchboardError(.invalidValue, "not confirmed; nothing was sent")
        }
        for backend in emptied {
            StandardStream.error.write(
                bytes:
                    Data("\(backend) will have NO active server serving. Type its name to proceed: ".utf8))
            guard readLine() == backend else {
                throw SwitchboardError(.invalidValue, "not confirmed; nothing was sent")
            }
        }
    }

    /// Human or JSON output.
    struct Output {
        let json: Bool

        func preview(_ plan: ActionPlan) {
            guard !json else { return }
            let lines = PlanPreview(plan).lines.map { line in
                switch line.kind {
                case .title: line.text
                case .changed: "  changed   " + line.text
                case .capacity: "  capacity  " + line.text
                case .sessions: "  sessions  " + line.text
                case .note: "  " + line.text
                case .warning: "  WARNING   " + line.text
                case .send: "  send      " + line.text
                }
            }
            print(lines.joined(separator: "\n"))
        }

        func finish(plan: ActionPlan, outcome: ActionOutcome?, dryRun: Bool) {
            if json {
                let document = ActionDocument(plan: plan, outcome: outcome, dryRun: dryRun)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                if let data = try? encoder.encode(document) { print(String(decoding: data, as: UTF8.self)) }
                return
            }
            if dryRun {
                print("dry run: nothing was sent")
            } else if let outcome {
                print(outcome.summary)
                for exchange in outcome.exchanges where !exchange.reply.isEmpty {
                    print("  haproxy   \(exchange.command) → \(exchange.reply)")
                }
            }
        }
    }
}

/// The JSON shape of an action's plan and outcome.
struct ActionDocument: Encodable {
    var intent: String
    var targets: [String]
    var commands: [String]
    var impacts: [String]
    var warnings: [String]
    var reducesCapacity: Bool
    var dryRun: Bool
    var verified: Bool?
    var replies: [CommandExchange]?
    var unmet: [String]?
    var error: String?
    var message: String?

    init(plan: ActionPlan, outcome: ActionOutcome?, dryRun: Bool) {
        intent = plan.label
        targets = plan.intent.targets.map(\.description)
        commands = plan.steps.map { RuntimeCommand(for: $0).line }
        impacts = plan.impacts.map(\.summary)
        warnings = plan.warnings
        reducesCapacity = plan.reducesCapacity
        self.dryRun = dryRun
        verified = outcome?.verified
        replies = outcome?.exchanges
        unmet = outcome?.unmet.map(\.description)
        error = outcome?.failure?.code.rawValue
        message = outcome?.summary
    }
}

/// `switchboard ready`.
struct ReadyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ready", abstract: "Put servers back in service (clears DRAIN and MAINT).")
    @Argument(help: "BACKEND/SERVER (or a server name with --everywhere).") var targets: [String]
    @OptionGroup var options: ActionOptions
    @Option(
        name: .long,
        help: "Bring the weight back in steps, in % of each server's initial weight, ending at 100 (e.g. 25,50,100).")
    var ramp: String?
    @Option(name: .long, help: "With --ramp: seconds between two steps (1–3600).") var step: Double = 10

    func validate() throws {
        guard let ramp else { return }
        _ = try Ramp(parsing: ramp, step: step)
    }

    func run() async throws {
        guard let text = ramp else {
            try await ActionRunner.run(options, targets: targets, operation: .setAdmin(.ready))
            return
        }
        let ramp = try Ramp(parsing: text, step: step)
        try await ramp.run(options: options, targets: targets)
    }
}

/// A ramped return to service: the weight set to each percentage in turn (of the initial weight), the
/// first one before READY so traffic comes back at the lowest step, each step verified on every balancer
/// picked before the pause and the next. Putting a whole fleet back at full weight at once is a documented
/// cause of a second overload.
struct Ramp {
    /// The percentages, ascending, ending at 100.
    let percents: [Int]
    /// The pause between two steps.
    let step: Double

    init(parsing text: String, step: Double) throws {
        do {
            percents = try RampedReturn(parsing: text).percents
        } catch let error as SwitchboardError {
            throw ValidationError(error.message)
        }
        guard (1...3_600).contains(step) else { throw ValidationError("--step takes 1–3600 seconds") }
        self.step = step
    }

    /// `10 s`, `1.5 s`.
    static func seconds(_ value: Double) -> String { String(printf: "%g s", value) }

    func run(options: ActionOptions, targets: [String]) async throws {
        var options = options
        func weight(_ percent: Int) async throws {
            if !options.json { print("ramp: weight \(percent)% of the initial weight") }
            try await ActionRunner.run(
                options, targets: targets, operation: .setWeight(absolute: nil, percent: percent))
        }
        try await weight(percents[0])
        options.yes = true  // confirmed (when it had to be) at the first step
        try await ActionRunner.run(options, targets: targets, operation: .setAdmin(.ready))
        for percent in percents.dropFirst() {
            guard try await pause(before: percent, options: options) else { continue }
            try await weight(percent)
        }
    }
}

/// `switchboard maint`.
struct MaintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maint", abstract: "Put servers in maintenance: no traffic, no checks.")
    @Argument(help: "BACKEND/SERVER (or a server name with --everywhere).") var targets: [String]
    @OptionGroup var options: ActionOptions
    func run() async throws { try await ActionRunner.run(options, targets: targets, operation: .setAdmin(.maint)) }
}

/// `switchboard weight`.
struct WeightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weight", abstract: "Set a server's weight: 0–256, or 0–100% of its initial weight.")
    @Argument(help: "BACKEND/SERVER.") var target: String
    // Collected unparsed so that `-1` reaches the range check instead of being taken for an option.
    @Argument(parsing: .allUnrecognized, help: "The weight: 50 or 50%.") var value: [String] = []
    @OptionGroup var options: ActionOptions

    func validate() throws {
        guard value.count == 1 else {
            throw ValidationError(
                value.isEmpty
                    ? "give the weight: 0–256 or 0–100%" : "give one weight, not \(value.joined(separator: " "))")
        }
    }

    func run() async throws {
        let operation: ActionIntent.Operation
        do {
            operation = try ActionIntent.weight([], value[0]).operation
        } catch let error as SwitchboardError {
            StandardStream.error.write("switchboard: \(error)\n")
            throw ExitCode(ExitCodes.code(for: error))
        }
        try await ActionRunner.run(options, targets: [target], operation: operation)
    }
}

/// Up or down, for health and agent.
enum UpDown: String, ExpressibleByArgument, CaseIterable {
    case up, down
}

/// `switchboard health`.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Force a server's health up or down (the next check overwrites it unless --disable-checks).")
    @Argument(help: "BACKEND/SERVER.") var target: String
    @Argument(help: "up or down.") var state: UpDown
    @OptionGroup var options: ActionOptions
    func run() async throws {
        try await ActionRunner.run(options, targets: [target], operation: .forceHealth(up: state == .up))
    }
}

/// `switchboard agent`.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Force a server's agent state up or down.")
    @Argument(help: "BACKEND/SERVER.") var target: String
    @Argument(help: "up or down.") var state: UpDown
    @OptionGroup var options: ActionOptions
    func run() async throws {
        try await ActionRunner.run(options, targets: [target], operation: .forceAgent(up: state == .up))
    }
}

/// `switchboard kill-sessions`.
struct KillSessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-sessions", abstract: "Close every session of servers now.")
    @Argument(help: "BACKEND/SERVER (or a server name with --everywhere).") var targets: [String]
    @OptionGroup var options: ActionOptions
    func run() async throws { try await ActionRunner.run(options, targets: targets, operation: .killSessions) }
}
