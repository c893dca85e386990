import ArgumentParser
import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab

/// `switchboard-lab measure-polling`: haproxy's own CPU while the console polls a large lab, against a
/// loop of full `show stat` at the same interval.
struct MeasurePolling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure-polling", abstract: "Measure haproxy CPU: console polling vs full show stat.")

    @Option(name: .long, help: "Servers per backend.")
    var serversPerBackend = 1000

    @Option(name: .long, help: "Backends.")
    var backends = 10

    @Option(name: .long, help: "Seconds per phase.")
    var seconds = 20

    @Option(name: .long, help: "Poll interval in seconds.")
    var interval = 1.0

    func run() async throws {
        // Health checks off: they cost haproxy ~300 ms/s at this size with a noisy baseline that would
        // drown the figures being compared.
        let spec = LabSpec.large(backends: backends, serversPerBackend: serversPerBackend, checks: false)
        print("starting a lab of \(backends) × \(serversPerBackend) servers (health checks off)…")
        try await Lab.with(spec) { lab in
            let worker = try await lab.workerPid()
            let admin = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(timeout: .seconds(10)))
            try await Task.sleep(for: .seconds(5))  // let the first round of checks pass
            let phase = Duration.seconds(seconds)
            let idle = try await cpu(worker, over: phase) { _ in }
            let console = try await cpu(worker, over: phase) { _ in
                _ = try await admin.snapshot(focusing: ["be_001"])
            }
            let consoleCommands = await admin.recentCommands.suffix(8)
            let full = try await cpu(worker, over: phase) { _ in
                _ = try await admin.stat(.all)
            }
            await admin.close()
            func line(_ name: String, _ ms: Double) -> String {
                name.padding(toLength: 48, withPad: " ", startingAt: 0)
                    + String(format: "%7.1f ms CPU/s  (%4.1f%% of a core)", ms, ms / 10)
            }
            print(line("idle", idle))
            print(line("console polling (\(Int(interval * 1000)) ms, 1 backend on screen)", console))
            print(line("full `show stat` every \(Int(interval * 1000)) ms", full))
            print("console commands per refresh: \(consoleCommands.joined(separator: " | "))")
        }
    }

    /// haproxy worker CPU (utime + stime from /proc, 10 ms ticks) per second while `body` runs every interval.
    func cpu(_ pid: Int, over duration: Duration, _ body: (Int) async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let before = try ticks(pid)
        var round = 0
        while clock.now - start < duration {
            try await body(round)
            round += 1
            try await Task.sleep(until: start + .milliseconds(Int(interval * 1000)) * round, clock: clock)
        }
        let elapsed = (clock.now - start).seconds
        return Double(try ticks(pid) - before) * 10 / elapsed
    }

    func ticks(_ pid: Int) throws -> Int { try ProcessCPU.ticks(pid) }
}

/// A process' CPU time from `/proc/<pid>/stat`.
enum ProcessCPU {
    /// utime + stime in clock ticks (10 ms): fields 14 and 15 of the whole line.
    static func ticks(_ pid: Int) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = text[text.range(of: ")")!.upperBound...].split(separator: " ")
        return Int(fields[11])! + Int(fields[12])!
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
