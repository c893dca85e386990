import ArgumentParser
import Foundation
import SwitchboardLab
import SwitchboardTestSupport

/// `switchboard-lab compare`: Switchboard and hatop side by side on the same real haproxy lab — client CPU, peak
/// memory and key→screen at each size — each console in its own private tmux server at 160×48 with a 1 s refresh,
/// measured in alternating windows (A B A B) so the machine's drift hits both. A benchmark, not a test.
struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Switchboard against hatop on the same lab: CPU, memory, key→screen.")

    @Option(name: .long, help: "Server counts, comma separated (10 → 2 backends of 5; 1,000 and up → 10 backends).")
    var servers = "10,10000"

    @Option(name: .long, help: "The other console: hatop, or none.")
    var against = "hatop"

    @Option(name: .long, help: "Seconds per CPU window.")
    var seconds = 30

    @Option(name: .long, help: "Rounds of A B windows.")
    var rounds = 2

    @Option(name: .long, help: "Key presses timed per console and round (the median is printed).")
    var keys = 10

    @Option(
        name: .long,
        help: "The switchboard binary measured (default: the release build next to this tool; e.g. the static one).")
    var binary: String?

    func run() async throws {
        let binary =
            try self.binary.map { path in
                guard FileManager.default.isExecutableFile(atPath: path) else {
                    throw ValidationError("--binary \(path) is not an executable file")
                }
                return path
            } ?? ReleaseBinary.switchboard()
        let sizes = servers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 2 && $0 <= 20_000 }) else {
            throw ValidationError("--servers takes counts from 2 to 20000, comma separated")
        }
        let hatop = against == "hatop" ? ConsoleUnderTest.locateHatop() : nil
        if against == "hatop" && hatop == nil {
            print("note: hatop is not installed (apt-get install hatop) — its column is skipped")
        }
        var tables: [SizeFigures] = []
        for size in sizes {
            let backends = size >= 1000 ? 10 : max(1, size / 5)
            let spec = LabSpec.large(
                backends: backends, serversPerBackend: max(1, size / backends), origins: 8,
                checkIntervalMilliseconds: 5000)
            print("starting a lab of \(backends) × \(size / backends) servers…")
            let figures = try await Lab.with(spec) { lab in
                try await measure(lab: lab, size: size, switchboard: binary, hatop: hatop)
            }
            tables.append(figures)
            print(figures.table())
        }
    }

    func measure(lab: Lab, size: Int, switchboard: String, hatop: String?) async throws -> SizeFigures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-compare-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A little real traffic through the frontend for the whole run, so counters move on every refresh.
        let traffic = Task {
            _ = await TrafficGenerator(
                plan: .init(
                    port: lab.frontendPort, paths: lab.spec.backends.map { "/\($0.name)/" }, requestsPerSecond: 20,
                    concurrency: 2, maxRequests: 200_000, duration: .seconds(3600))
            ).run()
        }
        defer { traffic.cancel() }
        var consoles = [
            try await ConsoleUnderTest.switchboard(switchboard, socket: lab.adminSocket, directory: directory.path)
        ]
        if let hatop { consoles.append(try await ConsoleUnderTest.hatop(hatop, socket: lab.adminSocket)) }
        defer { for console in consoles { console.session.close() } }
        try await Task.sleep(for: .seconds(5))  // both past their first full refresh
        var figures = SizeFigures(size: size, names: consoles.map(\.name))
        for round in 1...rounds {
            for (index, console) in consoles.enumerated() {
                print("  round \(round): \(console.name)…")
                let cpu = try await console.cpu(over: .seconds(seconds))
                figures.cpu[index].append(cpu)
                figures.keyToScreen[index] += try await console.timeKey(times: keys)
                if index == 0 && size >= 1000 {
                    figures.pageDown += try await console.timePaging(times: keys)
                }
            }
        }
        for (index, console) in consoles.enumerated() { figures.peakRSS[index] = try console.peakRSS() }
        return figures
    }
}

/// One console in its own tmux server: how to start it, the key that is timed, and what proves it was drawn.
struct ConsoleUnderTest {
    var name: String
    var session: TmuxSession
    /// The key timed, and the screen that shows it took effect; the key (and screen) that goes back.
    var key: (press: String, shown: (String) -> Bool, back: String, gone: (String) -> Bool)

    static func locateHatop() -> String? {
        ["/usr/bin/hatop", "/usr/local/bin/hatop"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func switchboard(_ binary: String, socket: String, directory: String) async throws -> ConsoleUnderTest {
        let session = try TmuxSession.start(
            command: "TERM=tmux-256color LANG=C.UTF-8 exec '\(binary)' --socket '\(socket)' --interval 1s "
                + "--audit-log '\(directory)/audit.jsonl'",
            width: 160, height: 48)
        try await session.waitForScreen("Switchboard shows the lab", timeout: .seconds(60)) {
            $0.contains("be_001") && !$0.contains("NO DATA")
        }
        return ConsoleUnderTest(
            name: "Switchboard", session: session,
            key: (
                press: "?", shown: { $0.contains("Help — keymap") }, back: "?",
                gone: { !$0.contains("Help — keymap") }
            ))
    }

    static func hatop(_ binary: String, socket: String) async throws -> ConsoleUnderTest {
        let session = try TmuxSession.start(
            command: "TERM=tmux-256color LANG=C.UTF-8 exec '\(binary)' -s '\(socket)' -i 1", width: 160, height: 48)
        try await session.waitForScreen("hatop shows the lab", timeout: .seconds(60)) { $0.contains("be_001") }
        return ConsoleUnderTest(
            name: "hatop", session: session,
            key: (
                press: "2", shown: { $0.contains("LBTOT") }, back: "1",
                gone: { !$0.contains("LBTOT") }
            ))
    }

    /// The pane process's CPU over `window`, in ms of CPU per second.
    func cpu(over window: Duration) async throws -> Double {
        let pid = try session.panePid()
        let before = try ProcessCPU.ticks(pid)
        let clock = ContinuousClock()
        let start = clock.now
        try await Task.sleep(for: window)
        let elapsed = (clock.now - start).seconds
        return Double(try ProcessCPU.ticks(pid) - before) * 10 / elapsed
    }

    /// Milliseconds from `send-keys` until `capture-pane` shows the key's effect, `times` times.
    func timeKey(times: Int) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<times {
            samples.append(try await timed(key.press, until: key.shown))
            _ = try await timed(key.back, until: key.gone)
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...450)))  // land anywhere in a refresh
        }
        return samples
    }

    /// PageDown and End on the server list (Switchboard): the screen's first server row changes.
    func timePaging(times: Int) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<times {
            let before = try session.screen()
            samples.append(try await timed("NPage", until: { $0 != before }))
            let paged = try session.screen()
            samples.append(try await timed("End", until: { $0 != paged }))
            _ = try await timed("Home", until: { _ in true })
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...600)))
        }
        return samples
    }

    private func timed(_ key: String, until shown: (String) -> Bool) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try session.send(key)
        while clock.now - start < .seconds(5) {
            if shown(try session.screen()) { return (clock.now - start).seconds * 1000 }
        }
        throw ValidationError("\(name): the screen did not change within 5 s of '\(key)'")
    }

    /// Peak resident memory (VmHWM) of the pane's process, in MB.
    func peakRSS() throws -> Double { try MeasureFleet.peakRSS(try session.panePid()) }
}

/// What was measured at one size, per console (index as in `names`).
struct SizeFigures {
    var size: Int
    var names: [String]
    var cpu: [[Double]]
    var keyToScreen: [[Double]]
    var peakRSS: [Double]
    var pageDown: [Double] = []

    init(size: Int, names: [String]) {
        self.size = size
        self.names = names
        cpu = names.map { _ in [] }
        keyToScreen = names.map { _ in [] }
        peakRSS = names.map { _ in 0 }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// A Markdown table: one row per figure, one column per console, and the ratio Switchboard / other.
    func table() -> String {
        let count = size.formatted(.number.grouping(.automatic))
        var header = "| \(count) servers |"
        var rule = "| --- |"
        for name in names {
            header += " \(name) |"
            rule += " ---: |"
        }
        if names.count == 2 {
            header += " ratio |"
            rule += " ---: |"
        }
        var lines = [header, rule]
        func row(_ label: String, _ values: [Double], _ format: String, _ unit: String) {
            var line = "| \(label) |"
            for value in values { line += " " + String(format: format, value) + unit + " |" }
            if values.count == 2 { line += String(format: " %.2f× |", values[0] / values[1]) }
            lines.append(line)
        }
        row(
            "client CPU (windows: "
                + cpu.map { $0.map { String(format: "%.1f", $0 / 10) }.joined(separator: ", ") }
                .joined(separator: " / ") + " %)", cpu.map { $0.reduce(0, +) / Double(max(1, $0.count)) / 10 },
            "%.2f", " %")
        row("peak RSS", peakRSS, "%.1f", " MB")
        row("key → screen (median)", keyToScreen.map(Self.median), "%.1f", " ms")
        if !pageDown.isEmpty {
            lines.append(String(format: "| PageDown / End → screen (median) | %.1f ms | | |", Self.median(pageDown)))
        }
        return lines.joined(separator: "\n")
    }
}
