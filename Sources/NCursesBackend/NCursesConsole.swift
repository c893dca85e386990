import ConsoleApp
import ConsoleRuntime
import Dispatch
import FoundationEssentials
import Glibc
import SwitchboardCore
import SwitchboardOps
import TerminalUI

/// Runs the console on the process' terminal: ncurses up, input/resize/signal sources into the
/// runtime's event stream, and the terminal restored on every way out (quit, Ctrl-C, SIGTERM, SIGHUP;
/// a crash is covered by CTermGuard).
@MainActor
public enum NCursesConsole {
    /// Runs until the operator quits; returns the final model.
    public static func run(model: ConsoleModel, driver: any BalancerDriver, executor: ActionExecutor? = nil)
        async throws
        -> ConsoleModel
    {
        try await run(model: model, balancers: [BalancerConnection(id: .primary, driver: driver, executor: executor)])
    }

    /// Runs the console on several balancers (ids as in `model.balancers`) until the operator quits.
    public static func run(model: ConsoleModel, balancers: [BalancerConnection]) async throws -> ConsoleModel {
        NCursesTerminal.prepareProcess()
        var model = model
        model.glyphs = NCursesTerminal.localeIsUTF8 ? model.glyphs : .ascii
        let terminal = try NCursesTerminal(useColor: model.useColor, mouse: model.mouseEnabled)
        defer { terminal.shutdown() }
        let (events, sink) = AsyncStream.makeStream(of: RuntimeEvent.self, bufferingPolicy: .bufferingNewest(1024))
        var sources: [any DispatchSourceProtocol] = []
        let input = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .main)
        input.setEventHandler { sink.yield(.inputReady) }
        sources.append(input)
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .main)
        winch.setEventHandler { sink.yield(.resized) }
        sources.append(winch)
        let stops = SignalPipe(queue: .main) { _ in sink.yield(.terminate) }
        for source in sources { source.resume() }
        defer {
            for source in sources { source.cancel() }
            stops?.close()
            sink.finish()
        }
        let runner = ConsoleRunner(terminal: terminal, balancers: balancers)
        return await runner.run(model: model, events: events, sink: sink)
    }
}
