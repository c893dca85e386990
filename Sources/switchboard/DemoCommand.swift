import ArgumentParser
import Dispatch
import Foundation
import HAProxyDriver
import NCursesBackend
import SwitchboardCore
import SwitchboardLab
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
            """)

    @Option(name: .long, help: "Stop by itself after this many seconds.")
    var duration: Int = 3600

    @Option(name: .long, help: "Demo requests per second through the frontend (1–500).")
    var rate: Int = 40

    @Flag(
        name: .long,
        help: "Print `status` every interval instead of opening the console (automatic without a terminal).")
    var plain = false

    @OptionGroup var console: ConsoleOptions

    func validate() throws {
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard (1...500).contains(rate) else { throw ValidationError("--rate must be between 1 and 500") }
    }

    func run() async throws {
        try await ExitCodes.reporting {
            let interactive = !plain && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            let model = interactive ? try console.prepare() : nil
            let stop = StopSignal()
            let lab = try await Lab.start(.demo, originLatency: .milliseconds(15))
            let banner = """
                Demo balancer (haproxy pid \(lab.process.pid)) in \(lab.directory)
                  admin socket   \(lab.adminSocket)   (also \(lab.adminTCPAddress))
                  read-only      \(lab.userSocket)
                  frontend       http://127.0.0.1:\(lab.frontendPort)/be_web/  /be_api/  /be_legacy/
                Try: switchboard status --socket \(lab.adminSocket)
                Stops after \(duration) s, or on Ctrl-C.

                """
            FileHandle.standardOutput.write(Data(banner.utf8))
            let paths = [
                "/be_web/", "/be_web/page", "/be_api/v1", "/be_web/", "/be_legacy/", "/be_api/v1/err", "/be_web/x",
            ]
            let traffic = Task {
                await TrafficGenerator(
                    plan: .init(
                        port: lab.frontendPort, paths: paths, requestsPerSecond: rate, concurrency: 16,
                        maxRequests: rate * duration, duration: .seconds(duration))
                ).run()
            }
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            let clock = ContinuousClock()
            let end = clock.now + .seconds(duration)
            if let model {
                let deadline = Task {
                    try await Task.sleep(until: end, clock: clock)
                    kill(getpid(), SIGTERM)  // ends the console like any SIGTERM, terminal restored
                }
                do {
                    _ = try await NCursesConsole.run(model: model, driver: driver, executor: console.executor(driver))
                } catch {
                    deadline.cancel()
                    await driver.close()
                    traffic.cancel()
                    await lab.stop()
                    throw SwitchboardError(.unsupported, "cannot open the console: \(error)")
                }
                deadline.cancel()
            }
            let interval = ConsoleOptions.parseInterval(console.interval) ?? .seconds(1)
            while model == nil, clock.now < end, !stop.requested {
                do {
                    let snapshot = try await driver.snapshot()
                    FileHandle.standardOutput.write(
                        Data(("\u{1B}[H\u{1B}[2J" + banner + StatusTable.render(snapshot)).utf8))
                } catch {
                    FileHandle.standardError.write(Data("switchboard: \(error)\n".utf8))
                }
                await stop.wait(upTo: interval)
            }
            traffic.cancel()
            _ = await traffic.value
            await driver.close()
            await lab.stop()
            FileHandle.standardOutput.write(
                Data("demo stopped; haproxy pid \(lab.process.pid) and the origins are down\n".utf8))
        }
    }
}

/// SIGINT/SIGTERM turned into a flag the demo loop polls, so it can stop what it started.
final class StopSignal {
    private let sources: [any DispatchSourceSignal]
    private let flag = StopFlag()

    init() {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let flag = self.flag
            source.setEventHandler { flag.set() }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

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
