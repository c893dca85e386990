import ConsoleApp
import ConsoleRuntime
import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import TerminalUI
import Testing

/// A terminal for tests: a fixed size, keys queued by the test, every drawn screen kept.
@MainActor
final class RecordingTerminal: TerminalBackend {
    let size: (width: Int, height: Int)
    var queued: [Key] = []
    private(set) var screens: [Buffer] = []
    private(set) var bells = 0

    init(width: Int, height: Int) { size = (width, height) }

    func syncSize() -> (width: Int, height: Int) { size }
    func readKeys() -> [Key] {
        defer { queued = [] }
        return queued
    }
    func draw(_ buffer: Buffer) { screens.append(buffer) }
    func bell() { bells += 1 }

    /// The last screen, as text.
    var lastScreen: String { screens.last?.lines.joined(separator: "\n") ?? "" }
}

/// The runtime on real balancers (issue 9: one driver per balancer, each refreshing on its own), on a test
/// terminal: no tmux, the runner's own loop.
@Suite("Console runner on two real balancers", .serialized, .timeLimit(.minutes(2)))
struct FleetRunnerTests {
    @Test func eachBalancerHasItsOwnDriverAndADeadOneDoesNotStopTheOther() async throws {
        let lab1 = try await Lab.start(.demo)
        let lab2: Lab
        do { lab2 = try await Lab.start(.demo) } catch {
            await lab1.stop()
            throw error
        }
        do {
            try await Self.drive(lab1, lab2)
        } catch {
            await lab1.stop()
            await lab2.stop()
            throw error
        }
        await lab1.stop()
        await lab2.stop()
    }

    @MainActor
    static func drive(_ lab1: Lab, _ lab2: Lab) async throws {
        let terminal = RecordingTerminal(width: 120, height: 40)
        let ids: [BalancerID] = ["lb1", "lb2"]
        let drivers = [lab1, lab2].map {
            HAProxyDriver(address: .unix(path: $0.adminSocket), options: .init(timeout: .milliseconds(500)))
        }
        let audit = AuditLog(path: lab1.directory + "/audit.jsonl")
        let runner = ConsoleRunner(
            terminal: terminal,
            balancers: zip(ids, drivers).map { id, driver in
                BalancerConnection(
                    id: id, driver: driver, executor: ActionExecutor(driver: driver, audit: audit, via: "test"))
            }, tick: .milliseconds(100))
        let model = ConsoleModel(
            width: 120, height: 40, now: Date(), interval: .milliseconds(500),
            balancers: ids.map { ($0, BalancerProfile(label: $0.rawValue)) })
        let (events, sink) = AsyncStream<RuntimeEvent>.makeStream()
        let running = Task { await runner.run(model: model, events: events, sink: sink) }

        try await Deadline.waitUntil("both balancers live in the fleet view", timeout: .seconds(10)) {
            let screen = terminal.lastScreen
            return screen.contains("fleet · 2 balancers") && screen.components(separatedBy: " live").count == 3
                && screen.contains("web-bk2")
        }
        await lab2.stopBalancer()
        try await Deadline.waitUntil("lb2 stale, lb1 still live", timeout: .seconds(10)) {
            let strip = terminal.lastScreen.split(separator: "\n").dropFirst().first ?? ""
            return strip.contains("lb2") && strip.contains("STALE") && strip.contains("lb1 ") && strip.contains(" live")
        }
        // Keys are answered while lb2 is gone: `b` focuses lb1 alone.
        terminal.queued = [.char("b")]
        sink.yield(.inputReady)
        try await Deadline.waitUntil("lb1 alone", timeout: .seconds(5)) {
            terminal.lastScreen.contains("SWITCHBOARD  lb1") && terminal.lastScreen.contains("ADDRESS")
        }
        terminal.queued = [.char("q")]
        sink.yield(.inputReady)
        let final = await running.value
        #expect(final.balancers[0].connection == .live)
        if case .failing(let error, _) = final.balancers[1].connection {
            #expect([.connectionRefused, .socketNotFound, .connectionLost, .timeout].contains(error.code), "\(error)")
        } else {
            Issue.record("lb2 should be failing: \(final.balancers[1].connection)")
        }
        #expect(await drivers[0].connectionsOpened == 1)
        for driver in drivers { await driver.close() }
    }
}
