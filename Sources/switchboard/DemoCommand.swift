import ArgumentParser
import ConsoleApp
import ConsoleRuntime
import Dispatch
import FoundationEssentials
import Glibc
import HAProxyDriver
import NCursesBackend
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTargets
import Synchronization

/// `switchboard demo`: a real haproxy on loopback with demo origins and bounded traffic.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a real haproxy on 127.0.0.1 with demo origins and traffic, and watch it.",
        discussion: """
            Everything listens on 127.0.0.1 and lives in a temporary directory; on exit (q, Ctrl-C, \
            SIGTERM or --duration) every process it started is stopped by pid. Needs haproxy \
            (sudo apt-get install haproxy).

            --scenario NAME plays a training incident on the demo (--list-scenarios lists them): a brief, the \
            incident, and when the users are served again (or time runs out) a debrief with time to first \
            action, time to mitigation, requests failed, the actions taken (from the audit log), the reference \
            solution and a score. Exit status 0 when the service recovered, 1 when it did not.
            """)

    @Option(name: .long, help: "Stop by itself after this many seconds.")
    var duration: Int = 3600

    @Option(name: .long, help: "Demo requests per second through the frontend (1–500).")
    var rate: Int = 40

    @Option(
        name: .long,
        help: "Demo balancers carrying the same pools (1–5); with 2 or more, lb2 has a drifted weight and a DRAIN.")
    var balancers: Int = 1

    @Flag(
        name: .long,
        help: "Print `status` every interval instead of opening the console (automatic without a terminal).")
    var plain = false

    @Option(name: .long, help: "Play a training scenario on the demo (see --list-scenarios).")
    var scenario: String?

    @Flag(name: .long, help: "List the training scenarios and exit.")
    var listScenarios = false

    @Option(name: .long, help: "With --scenario: seconds the trainee has once the incident begins (5–3600).")
    var timeLimit: Int = 600

    @Option(name: .long, help: "With --scenario: healthy seconds in a row that count as recovered (1–300).")
    var recoveryWindow: Int = 30

    @Option(name: .long, help: "With --scenario: write the debrief's Markdown here (default: beside the audit log).")
    var debrief: String?

    @Option(
        name: .long, help: "With --scenario: quiet seconds before the incident begins (0–600; default: the scenario's)."
    )
    var lead: Int?

    @OptionGroup var console: ConsoleOptions

    func validate() throws {
        if let scenario, Scenario.named(scenario) == nil {
            throw ValidationError(
                "unknown scenario '\(scenario)'; there are: \(Scenario.all.map(\.name).joined(separator: ", "))")
        }
        if scenario != nil, balancers != 1 { throw ValidationError("--scenario plays on one balancer (--balancers 1)") }
        guard (5...3600).contains(timeLimit) else { throw ValidationError("--time-limit takes 5–3600 seconds") }
        if let lead, !(0...600).contains(lead) { throw ValidationError("--lead takes 0–600 seconds") }
        guard (1...300).contains(recoveryWindow) else {
            throw ValidationError("--recovery-window takes 1–300 seconds")
        }
        if let scenario = scenario.flatMap(Scenario.named), recoveryWindow < scenario.minimumWindowSeconds {
            throw ValidationError(
                "--recovery-window \(recoveryWindow) is too short for \(scenario.name): its server is healthy for a "
                    + "while between failures; take \(scenario.minimumWindowSeconds) s or more")
        }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard (1...500).contains(rate) else { throw ValidationError("--rate must be between 1 and 500") }
        guard (1...5).contains(balancers) else { throw ValidationError("--balancers must be between 1 and 5") }
    }

    func run() async throws {
        if listScenarios {
            print(DemoScenario.list, terminator: "")
            return
        }
        let training = scenario.flatMap(Scenario.named).map { named in
            var scenario = named
            if let lead { scenario.leadSeconds = lead }
            return DemoScenario(
                scenario: scenario, rule: RecoveryRule(windowSeconds: recoveryWindow), timeLimit: timeLimit,
                audit: AuditLog(
                    path: console.auditLog ?? AuditLog.defaultPath(), createsDirectories: console.auditLog == nil),
                debriefPath: debrief)
        }
        try await ExitCodes.reporting {
            let interactive = !plain && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            let names = (1...balancers).map { balancers == 1 ? "demo" : "lb\($0)" }
            let targets = try await Self.targets(names: names, labs: [])
            let model = interactive ? try console.prepare(targets: targets) : nil
            let stop = StopSignal()
            var labs: [Lab] = []
            do {
                for _ in names { labs.append(try await Lab.start(.liveDemo, originLatency: .milliseconds(15))) }
                if labs.count > 1 { try await Self.drift(labs[1]) }
            } catch {
                for lab in labs { await lab.stop() }
                throw error
            }
            let started = labs
            var banner = ""
            for (name, lab) in zip(names, started) {
                banner += """
                    \(balancers == 1 ? "Demo balancer" : name) (haproxy pid \(lab.process.pid)) in \(lab.directory)
                      admin socket   \(lab.adminSocket)   (also \(lab.adminTCPAddress))
                      read-only      \(lab.userSocket)
                      frontend       http://127.0.0.1:\(lab.frontendPort)/be_web/  /be_api/  /be_legacy/
                      routes         Host www.example → be_web, api.example → be_api (\(lab.hostMap); standby pool be_standby)

                    """
            }
            if started.count > 1 {
                banner += "lb2 differs on purpose: be_web/web2 at weight 50 and be_web/web3 in DRAIN (drift).\n"
            }
            if training == nil {
                banner += """
                    Try: switchboard failover-routes be_web --to be_standby --socket \(started[0].adminSocket)
                         switchboard status \(started.map { "--socket \($0.adminSocket)" }.joined(separator: " "))
                    Stops after \(duration) s, or on Ctrl-C.

                    """
            } else {
                // No hint under a scenario: the "Try" line would be the answer.
                banner += "Ends with the scenario, or on Ctrl-C.\n"
            }
            StandardStream.output.write(banner)
            var play: Task<ScenarioPlayer.Result, any Error>?
            if let training {
                banner += "\n" + training.brief
                StandardStream.output.write(("\n" + training.brief))
                if interactive {
                    StandardStream.output.write("\nPress Enter to take the console.\n")
                    _ = readLine()
                }
                play = training.play(on: started[0])
            }
            let paths = LabSpec.demoTrafficPaths
            // Under a scenario the demo's own traffic is lighter, so what the trainee's users see is the incident.
            let rate = training == nil ? self.rate : min(self.rate, 10), duration = self.duration
            let ender = play.map { play in
                Task {
                    _ = try? await play.value
                    if !Task.isCancelled { kill(getpid(), SIGTERM) }  // ends the console or the status loop
                }
            }
            // Path-routed traffic, and a quarter as much again by Host through the route map (www.example and
            // api.example), so a route's failover (`switchboard failover-routes`) shows on screen.
            let hostRate = max(1, rate / 4)
            let traffic =
                started.map { lab in
                    Task {
                        await TrafficGenerator(
                            plan: .init(
                                port: lab.frontendPort, paths: paths, requestsPerSecond: rate, concurrency: 64,
                                maxRequests: rate * duration, duration: .seconds(duration))
                        ).run()
                    }
                }
                + started.flatMap { lab in
                    LabSpec.liveDemo.routes.map { route in
                        Task {
                            await TrafficGenerator(
                                plan: .init(
                                    port: lab.frontendPort, paths: ["/", "/slow-800"], requestsPerSecond: hostRate,
                                    concurrency: 16, maxRequests: hostRate * duration, duration: .seconds(duration),
                                    host: route.host)
                            ).run()
                        }
                    }
                }
            let live = try await Self.targets(names: names, labs: started)
            let drivers = live.map { HAProxyDriver(address: $0.address) }
            let clock = ContinuousClock()
            let end = clock.now + .seconds(duration)
            if var model {
                if let training {
                    model.scenario = ScenarioClock(
                        name: training.scenario.name,
                        endsAt: Date().addingTimeInterval(Double(training.scenario.leadSeconds + training.timeLimit)))
                }
                model.balancers = zip(model.balancers, live).map { state, target in
                    var state = state
                    state.id = BalancerID(target.name)
                    return state
                }
                let deadline = Task {
                    try await Task.sleep(until: end, clock: clock)
                    kill(getpid(), SIGTERM)  // ends the console like any SIGTERM, terminal restored
                }
                do {
                    _ = try await NCursesConsole.run(
                        model: model,
                        balancers: zip(live, drivers).map { target, driver in
                            BalancerConnection(
                                id: BalancerID(target.name), driver: driver, executor: console.executor(driver))
                        })
                } catch {
                    deadline.cancel()
                    for driver in drivers { await driver.close() }
                    for task in traffic { task.cancel() }
                    for lab in started { await lab.stop() }
                    throw SwitchboardError(.unsupported, "cannot open the console: \(error)")
                }
                deadline.cancel()
            }
            let interval = ConsoleOptions.parseInterval(console.interval) ?? .seconds(1)
            while model == nil, clock.now < end, !stop.requested {
                var text = "\u{1B}[H\u{1B}[2J" + banner
                for (name, driver) in zip(names, drivers) {
                    if drivers.count > 1 { text += "== \(name)\n" }
                    do {
                        text += StatusTable.render(try await driver.snapshot()) + "\n"
                    } catch {
                        text += "NOT ANSWERING: \(error)\n"
                    }
                }
                StandardStream.output.write(text)
                await stop.wait(upTo: interval)
            }
            ender?.cancel()
            play?.cancel()
            var played: ScenarioPlayer.Result?
            var playFailure: (any Error)?
            do { played = try await play?.value } catch { playFailure = error }
            for task in traffic { task.cancel() }
            for task in traffic { _ = await task.value }
            for driver in drivers { await driver.close() }
            var recovered = true
            if let training, let played {
                let debrief = training.debrief(played, lab: started[0])
                let file = training.debriefFile(startedAt: played.startedAt)
                var text = "\n" + debrief.markdown
                do {
                    try FileManager.default.createDirectory(
                        atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path,
                        withIntermediateDirectories: true)
                    try debrief.markdown.write(toFile: file, atomically: true, encoding: .utf8)
                    text += "\nDebrief written to \(file)\n"
                } catch {
                    text += "\nThe debrief could not be written to \(file): \(error)\n"
                }
                StandardStream.output.write(text)
                recovered = played.ending == .recovered
            }
            for lab in started { await lab.stop() }
            StandardStream.output.write(
                bytes:
                    Data(
                        ("demo stopped; haproxy pid(s) \(started.map { "\($0.process.pid)" }.joined(separator: ", ")) "
                            + "and the origins are down\n").utf8))
            if let playFailure {
                throw SwitchboardError(.other, "the scenario could not be played: \(playFailure)")
            }
            if !recovered { throw ExitCode(1) }
        }
    }

    /// The demo's balancers as targets (before the labs exist: placeholder addresses, for the model's labels).
    static func targets(names: [String], labs: [Lab]) async throws -> [BalancerTarget] {
        try names.enumerated().map { index, name in
            BalancerTarget(
                name: name,
                address: try ControlSocketAddress(
                    parsing: labs.indices.contains(index) ? labs[index].adminSocket : "/\(name)"),
                colour: index == 0 && names.count > 1 ? .green : nil)
        }
    }

    /// The drift the fleet demo shows: on this lab only, web2 at weight 50 and web3 in DRAIN.
    static func drift(_ lab: Lab) async throws {
        let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
        _ = try await driver.execute(try RuntimeCommand.raw("set server be_web/web2 weight 50"))
        _ = try await driver.execute(try RuntimeCommand.raw("set server be_web/web3 state drain"))
    }
}

/// SIGINT/SIGTERM/SIGHUP turned into a flag the demo loop polls, so it can stop what it started.
final class StopSignal {
    private let pipe: SignalPipe?
    private let flag = StopFlag()

    init() {
        let flag = self.flag
        pipe = SignalPipe(queue: .global()) { _ in flag.set() }
    }

    deinit { pipe?.close() }

    var requested: Bool { flag.isSet }

    /// Waits up to `duration`, returning early when a stop was requested.
    func wait(upTo duration: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + duration
        while clock.now < end, !requested {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

private final class StopFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
