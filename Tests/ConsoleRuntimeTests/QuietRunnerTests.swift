import ConsoleApp
import ConsoleRuntime
import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import TerminalUI
import Testing

/// A balancer that answers every read with one recorded HAProxy 2.6 snapshot (show info / show stat / show
/// servers state as recorded from a real haproxy), so the runner's own drawing can be counted exactly.
struct RecordedBalancer: BalancerDriver {
    let recorded: BalancerSnapshot
    var capabilities: DriverCapabilities { [] }

    static func fixture() throws -> BalancerSnapshot {
        let info = try ShowInfo(parsing: try Fixtures.text("show-info.txt"))
        return SnapshotBuilder.build(
            info: info.balancerInfo(socket: "/run/haproxy/admin.sock", level: .admin),
            stat: try StatTable(parsing: try Fixtures.text("show-stat.csv")),
            states: try ServersState(parsing: try Fixtures.text("show-servers-state.txt")))
    }

    func connect() async throws -> BalancerInfo { recorded.info }
    func snapshot() async throws -> BalancerSnapshot { recorded }
    func perform(_ action: ServerAction) async throws -> CommandExchange {
        throw SwitchboardError(.unsupported, "read only")
    }
    func execute(_ command: RuntimeCommand) async throws -> CommandExchange {
        throw SwitchboardError(.unsupported, "read only")
    }
    func close() async {}
}

/// Issue 12: no work that changes nothing reaches the terminal, and keys do not wait behind a refresh.
@Suite("Console runner: quiet ticks and keys first", .timeLimit(.minutes(1)))
@MainActor
struct QuietRunnerTests {
    /// A runner on the recorded balancer at a frozen clock (nothing on screen ages), a refresh every minute.
    static func start() throws -> (
        RecordingTerminal, AsyncStream<RuntimeEvent>.Continuation, Task<ConsoleModel, Never>, BalancerSnapshot,
        Date
    ) {
        let snapshot = try RecordedBalancer.fixture()
        let frozen = Date(timeIntervalSince1970: 1_800_000_000)
        let terminal = RecordingTerminal(width: 120, height: 40)
        let runner = ConsoleRunner(
            terminal: terminal, driver: RecordedBalancer(recorded: snapshot), tick: .milliseconds(20),
            now: { frozen })
        let model = ConsoleModel(width: 120, height: 40, now: frozen, interval: .seconds(60))
        let (events, sink) = AsyncStream<RuntimeEvent>.makeStream()
        let running = Task { await runner.run(model: model, events: events, sink: sink) }
        return (terminal, sink, running, snapshot, frozen)
    }

    @Test func anUnchangedSnapshotAndTicksReachTheTerminalAsNoDrawAtAll() async throws {
        let (terminal, sink, running, snapshot, frozen) = try Self.start()
        try await Deadline.waitUntil("the recorded balancer on screen", timeout: .seconds(10)) {
            terminal.lastScreen.contains("be_app") && terminal.lastScreen.contains("app1")
        }
        let drawn = terminal.screens.count
        for _ in 0..<5 {
            sink.yield(.message(.refreshed(.success(snapshot), at: frozen, from: .primary, started: frozen)))
            sink.yield(.message(.tick(frozen)))
        }
        // A key after them: events are handled in order, so when its screen shows, the refreshes and ticks
        // before it have been handled — and must have drawn nothing.
        terminal.queued = [.char("?")]
        sink.yield(.inputReady)
        try await Deadline.waitUntil("help drawn", timeout: .seconds(5)) {
            terminal.lastScreen.contains("Help — keymap")
        }
        #expect(terminal.screens.count == drawn + 1, "draws after the first screen: \(terminal.screens.count - drawn)")
        terminal.queued = [.char("q")]
        sink.yield(.inputReady)
        _ = await running.value
    }

    @Test func aKeyTypedWhileARefreshWaitsIsHandledAndDrawnBeforeTheRefresh() async throws {
        let (terminal, sink, running, snapshot, frozen) = try Self.start()
        try await Deadline.waitUntil("the recorded balancer on screen", timeout: .seconds(10)) {
            terminal.lastScreen.contains("be_app") && terminal.lastScreen.contains("app1")
        }
        let drawn = terminal.screens.count
        var changed = snapshot
        changed.backends[changed.backends.firstIndex { $0.name == "be_app" }!].servers[0].weight = 77
        // The key is in the terminal's input, its readiness not yet announced, when the refresh's result is
        // handled: the runner must take the key first.
        terminal.queued = [.char("/")]
        sink.yield(.message(.refreshed(.success(changed), at: frozen, from: .primary, started: frozen)))
        try await Deadline.waitUntil("the new weight drawn", timeout: .seconds(5)) {
            terminal.lastScreen.contains("77/")
        }
        let screens = terminal.screens.dropFirst(drawn).map { $0.lines.joined(separator: "\n") }
        #expect(screens.count == 2, "\(screens.count) draws")
        let first = try #require(screens.first)
        #expect(
            first.contains("Enter apply · Esc clear") && !first.contains("77/"),
            "the key's screen comes first:\n\(first)")
        #expect(screens.last?.contains("Enter apply · Esc clear") == true)
        terminal.queued = [.escape, .char("q")]
        sink.yield(.inputReady)
        _ = await running.value
    }
}
