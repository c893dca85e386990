import ArgumentParser
import Foundation
import SwitchboardLab
import SwitchboardTestSupport

/// `switchboard-lab measure-fleet`: the console's own CPU on a real fleet — N haproxy labs of S servers (checks
/// every 10 s), the release `switchboard` in a private tmux server at 200×60 with a 1 s refresh — and whether any
/// balancer was polled more than once per interval (from the console's refresh trace).
struct MeasureFleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure-fleet", abstract: "Measure the console's CPU on N real balancers of S servers each.")

    @Option(name: .long, help: "Balancers.")
    var balancers = 20

    @Option(name: .long, help: "Servers per balancer (5 backends).")
    var servers = 500

    @Option(name: .long, help: "Seconds measured (after 10 s of warm-up).")
    var seconds = 30

    func run() async throws {
        let binary = try ReleaseBinary.switchboard()
        let spec = LabSpec.large(
            backends: 5, serversPerBackend: max(1, servers / 5), origins: 4, checkIntervalMilliseconds: 10_000)
        print("starting \(balancers) labs of \(servers) servers (checks every 10 s)…")
        var labs: [Lab] = []
        do {
            for _ in 0..<balancers { labs.append(try await Lab.start(spec)) }
            try await measure(labs, binary: binary)
        } catch {
            for lab in labs { await lab.stop() }
            throw error
        }
        for lab in labs { await lab.stop() }
    }

    func measure(_ labs: [Lab], binary: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-fleet-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var targets = ""
        for (index, lab) in labs.enumerated() {
            targets += "[balancers.lb\(index + 1)]\naddress = \"\(lab.adminSocket)\"\n\n"
        }
        let targetsPath = directory.appendingPathComponent("targets.toml").path
        let tracePath = directory.appendingPathComponent("refresh.trace").path
        try targets.write(toFile: targetsPath, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession.start(
            command: "SWITCHBOARD_TRACE_REFRESH=\(tracePath) TERM=tmux-256color LANG=C.UTF-8 exec '\(binary)' "
                + "--targets \(targetsPath) --interval 1s --audit-log \(directory.path)/audit.jsonl",
            width: 200, height: 60)
        defer { tmux.close() }
        try await tmux.waitForScreen("every balancer live", timeout: .seconds(60)) {
            $0.contains("fleet · \(self.balancers) balancers") && !$0.contains("NO DATA")
                && $0.split(separator: "\n").dropFirst().first.map { $0.components(separatedBy: "✓").count - 1 }
                    == self.balancers
        }
        try await Task.sleep(for: .seconds(10))
        let pid = try tmux.panePid()
        let before = try Self.ticks(pid)
        let clock = ContinuousClock()
        let start = clock.now
        try await Task.sleep(for: .seconds(seconds))
        let elapsed = clock.now - start
        let used = Double(try Self.ticks(pid) - before) * 10  // ms of CPU (10 ms ticks)
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rss = try Self.peakRSS(pid)
        let trace = try String(contentsOfFile: tracePath, encoding: .utf8)
        var times: [String: [Double]] = [:]
        for line in trace.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let time = Double(parts[0]) else { continue }
            times[String(parts[1]), default: []].append(time)
        }
        let gaps = times.values.flatMap { list in zip(list.dropFirst(), list).map { $0 - $1 } }
        let perBalancer = times.values.map(\.count)
        print(
            String(
                format: "console CPU: %.1f ms/s (%.2f %% of a core) over %.0f s; peak RSS %.1f MB", used / wall,
                used / wall / 10, wall, rss))
        print(
            String(
                format: "polls per balancer: %d–%d over the run; shortest gap between two polls of one balancer %.3f s",
                perBalancer.min() ?? 0, perBalancer.max() ?? 0, gaps.min() ?? 0))
    }

    static func ticks(_ pid: Int) throws -> Int { try ProcessCPU.ticks(pid) }

    static func peakRSS(_ pid: Int) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}
