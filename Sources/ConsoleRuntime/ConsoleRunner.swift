import ConsoleApp
import Dispatch
import FoundationEssentials
import Glibc
import SwitchboardCore
import SwitchboardOps
import TerminalUI

/// Something that happened, for the runtime's single event stream.
public enum RuntimeEvent: Sendable {
    /// Keys are waiting to be read.
    case inputReady
    /// The terminal was resized.
    case resized
    /// A message for `update` (ticks, refresh results).
    case message(ConsoleMsg)
    /// Leave now (SIGTERM, SIGHUP, SIGINT from outside).
    case terminate
}

/// One balancer the runner talks to: its driver and the executor of actions on it.
public struct BalancerConnection: Sendable {
    /// The id the model knows it by.
    public var id: BalancerID
    /// Its driver (one connection per balancer).
    public var driver: any BalancerDriver
    /// Sends, verifies and audits actions on it; nil where actions are not available.
    public var executor: ActionExecutor?

    /// Makes a connection entry.
    public init(id: BalancerID, driver: any BalancerDriver, executor: ActionExecutor? = nil) {
        self.id = id
        self.driver = driver
        self.executor = executor
    }
}

/// The console's loop: merges keys, resizes, ticks and refresh results into `update`, runs the
/// effects, and draws `render(model)`. Refreshes run in their own tasks — one per balancer, each with its own
/// driver — so input is answered while a refresh is in flight or a socket hangs, and a slow balancer never
/// holds up the others.
@MainActor
public final class ConsoleRunner<Terminal: TerminalBackend> {
    private let terminal: Terminal
    let connections: [BalancerID: BalancerConnection]
    private let first: BalancerConnection
    private let tick: Duration
    private let now: @Sendable () -> Date
    /// Audit-directory files (timeline, failover records), written and read in order off the main actor.
    let fileQueue = DispatchQueue(label: "switchboard.console.files")
    /// `SWITCHBOARD_TRACE_REFRESH=PATH`: one line per refresh sent (monotonic seconds, balancer id), for the
    /// fleet benchmark's check that no balancer is polled more than once per interval.
    private let refreshTrace = RefreshTrace(path: ProcessInfo.processInfo.environment["SWITCHBOARD_TRACE_REFRESH"])
    /// The drill started from the console, while it runs.
    var activeDrill: ActiveDrill?

    /// Makes a runner on one balancer (id ``BalancerID/primary``).
    public convenience init(
        terminal: Terminal, driver: any BalancerDriver, executor: ActionExecutor? = nil,
        tick: Duration = .milliseconds(250), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            terminal: terminal, balancers: [BalancerConnection(id: .primary, driver: driver, executor: executor)],
            tick: tick, now: now)
    }

    /// Makes a runner on several balancers (at least one), keyed as the model keys them.
    public init(
        terminal: Terminal, balancers: [BalancerConnection], tick: Duration = .milliseconds(250),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        precondition(!balancers.isEmpty, "a console needs a balancer")
        self.terminal = terminal
        self.connections = Dictionary(balancers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.first = balancers[0]
        self.tick = tick
        self.now = now
    }

    /// The connection of the balancer actions go to: the model's primary (the one in focus).
    func primary(_ model: ConsoleModel) -> BalancerConnection {
        connections[model.primary.id] ?? first
    }

    /// Runs until the model asks to quit or a terminate event arrives; returns the final model.
    public func run(
        model initial: ConsoleModel, events: AsyncStream<RuntimeEvent>, sink: AsyncStream<RuntimeEvent>.Continuation
    ) async -> ConsoleModel {
        var model = initial
        let size = terminal.size
        _ = ConsoleUpdate.update(&model, .resize(width: size.width, height: size.height))
        let tick = self.tick
        let now = self.now
        let ticker = Task {
            while !Task.isCancelled {
                sink.yield(.message(.tick(now())))
                try? await Task.sleep(for: tick)
            }
        }
        defer { ticker.cancel() }
        var lastDrawn = ConsoleRender.render(model)
        var lastDrawAt = now()
        terminal.draw(lastDrawn)
        if let audit = primary(model).executor?.audit {
            fileQueue.async {  // an incident marked open (here or by `switchboard incident start`) shows in the header
                sink.yield(
                    .message(.incidentChanged(Result.capturing { try IncidentLog(besides: audit).openIncident() })))
            }
        }
        if ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_CRASH_AFTER_DRAW"] == "1" {
            // For the end-to-end test that the terminal is restored after a crash.
            fatalError("crash requested by SWITCHBOARD_TEST_CRASH_AFTER_DRAW")
        }
        for await event in events {
            var effects: [ConsoleEffect] = []
            let footerBefore = model.message
            switch event {
            case .terminate:
                return await finishDrill(model)
            case .inputReady:
                let keys = terminal.readKeys()
                if keys.isEmpty, terminal.inputClosed { return await finishDrill(model) }
                for key in keys { effects += ConsoleUpdate.update(&model, .key(key)) }
            case .resized:
                let size = terminal.syncSize()
                effects += ConsoleUpdate.update(&model, .resize(width: size.width, height: size.height))
            case .message(let message):
                if case .refreshed = message {
                    // Keys typed while this refresh was read go first, drawn at once: a key never waits
                    // behind a refresh's fold (10,000 servers cost milliseconds).
                    let keys = terminal.readKeys()
                    for key in keys { effects += ConsoleUpdate.update(&model, .key(key)) }
                    if !keys.isEmpty, !model.quitRequested {
                        lastDrawn = draw(model, over: lastDrawn)
                        lastDrawAt = now()
                    }
                }
                if case .drillFinished = message { activeDrill = nil }
                effects += ConsoleUpdate.update(&model, message)
            }
            for effect in effects {
                switch effect {
                case .quit: return await finishDrill(model)
                case .bell: terminal.bell()
                case .runDrill(let spec, let id): runDrill(spec, on: id, model, sink: sink)
                case .stopDrill: activeDrill?.stop.request("stopped from the console")
                case .perform(let plan, let id):
                    let connection = connections[id] ?? primary(model)
                    let driver = connection.driver
                    let executor = connection.executor
                    Task.detached {
                        let message: ConsoleMsg
                        do {
                            guard let executor else {
                                throw SwitchboardError(.unsupported, "actions are not available here")
                            }
                            message = .performed(
                                .success(try await executor.execute(plan, balancer: try await driver.connect())),
                                from: id)
                        } catch let changed as PlanChanged {
                            message = .planChanged(changed.recheck)  // nothing was sent
                        } catch let error as SwitchboardError {
                            message = .performed(.failure(error), from: id)
                        } catch {
                            message = .performed(.failure(SwitchboardError(.other, "\(error)")), from: id)
                        }
                        sink.yield(.message(.tick(now())))  // the result's time, for refreshes read before it
                        sink.yield(.message(message))
                    }
                case .performFleet(let steps, let label, let rollback):
                    let nodes = steps.compactMap { step -> FleetNodePlan? in
                        guard let driver = connections[step.id]?.driver,
                            let snapshot = model.index(of: step.id).flatMap({ model.balancers[$0].snapshot })
                        else { return nil }
                        // Named by id: the result comes back to the balancer it concerns.
                        return FleetNodePlan(
                            name: step.id.rawValue, driver: driver, plan: step.plan, snapshot: snapshot)
                    }
                    guard let audit = primary(model).executor?.audit, nodes.count == steps.count else {
                        sink.yield(
                            .message(
                                .effectFailed("fleet actions need a connection and the audit log for every balancer")))
                        break
                    }
                    Task.detached {
                        let report = await FleetExecutor(audit: audit, via: "console").run(
                            nodes, FleetExecution(rollback: rollback))
                        sink.yield(.message(.tick(now())))  // the result's time, for refreshes read before it
                        sink.yield(.message(.fleetPerformed(report, label: label)))
                    }
                case .raw(let command, let id):
                    let connection = connections[id] ?? primary(model)
                    let driver = connection.driver
                    let executor = connection.executor
                    Task.detached {
                        let result = await Result.capturing {
                            if let executor, command.isWrite {
                                return try await executor.executeRaw(command, balancer: try await driver.connect())
                                    .reply
                            }
                            return try await driver.execute(command).reply
                        }
                        sink.yield(.message(.rawReplied(command: command.line, result)))
                    }
                // File I/O runs in order on a serial queue, off the main actor; results and failures come
                // back as messages.
                case .recordEvents(let events):
                    guard let audit = primary(model).executor?.audit else { break }
                    fileQueue.async {
                        do {
                            try TimelineLog(besides: audit).append(events)
                        } catch {
                            sink.yield(.message(.effectFailed("cannot write the timeline: \(error)")))
                        }
                    }
                case .saveFailover(let record, let id):
                    guard let audit = (connections[id] ?? primary(model)).executor?.audit else { break }
                    fileQueue.async {
                        do {
                            try FailoverStore(besides: audit).save(record)
                        } catch {
                            sink.yield(.message(.effectFailed("\(error)")))
                        }
                    }
                case .clearFailover(let backend, let id):
                    guard let audit = (connections[id] ?? primary(model)).executor?.audit,
                        let socket = model.index(of: id).flatMap({ model.balancers[$0].snapshot?.info.socket })
                    else { break }
                    fileQueue.async {
                        do {
                            try FailoverStore(besides: audit).remove(socket: socket, backend: backend)
                        } catch {
                            sink.yield(.message(.effectFailed("cannot forget the failover of \(backend): \(error)")))
                        }
                    }
                case .loadFailover(let backend, let id):
                    let audit = (connections[id] ?? primary(model)).executor?.audit
                    let socket = model.index(of: id).flatMap { model.balancers[$0].snapshot?.info.socket } ?? ""
                    fileQueue.async {
                        let result = Result.capturing { () -> FailoverStore.Record? in
                            guard let audit else {
                                throw SwitchboardError(.unsupported, "fail back needs the audit directory")
                            }
                            return try FailoverStore(besides: audit).record(socket: socket, backend: backend)
                        }
                        sink.yield(.message(.failoverLoaded(backend: backend, result, from: id)))
                    }
                case .loadFleetFailovers(let backend, let ids):
                    guard let audit = primary(model).executor?.audit else { break }
                    let sockets = ids.compactMap { id in
                        model.index(of: id).flatMap { model.balancers[$0].snapshot?.info.socket }.map { (id, $0) }
                    }
                    fileQueue.async {
                        var records: [BalancerID: FailoverStore.Record] = [:]
                        for (id, socket) in sockets {
                            records[id] = try? FailoverStore(besides: audit).record(socket: socket, backend: backend)
                        }
                        sink.yield(.message(.fleetFailoversLoaded(backend: backend, records)))
                    }
                case .findLostChanges(let id):
                    guard let audit = (connections[id] ?? primary(model)).executor?.audit,
                        let snapshot = model.index(of: id).flatMap({ model.balancers[$0].snapshot })
                    else { break }
                    fileQueue.async {
                        // The last MiB of the log holds far more than a day of actions; older changes are not
                        // re-applied by the console (the command line takes --since).
                        let records = (try? audit.records(lastBytes: 1 << 20).records) ?? []
                        let since = AuditRecord.timestamp(Date().addingTimeInterval(-86_400))
                        let lost = LostChanges.toReapply(in: records, on: snapshot, since: since)
                        sink.yield(.message(.lostChangesFound(lost, on: id)))
                    }
                case .markIncident(let title):
                    guard let audit = primary(model).executor?.audit else {
                        sink.yield(
                            .message(.effectFailed("incidents are kept beside the audit log, which is not open here")))
                        break
                    }
                    // Each balancer's request counters as last read, so the timeline can say how many failed.
                    let counters = Dictionary(
                        model.balancers.compactMap { balancer in
                            balancer.snapshot.flatMap { snapshot in
                                RequestCounters(snapshot).map { (snapshot.info.socket, $0) }
                            }
                        }, uniquingKeysWith: { first, _ in first })
                    fileQueue.async {
                        let log = IncidentLog(besides: audit)
                        do {
                            if let title {
                                let incident = try log.start(title: title, counters: counters)
                                sink.yield(
                                    .message(
                                        .incidentChanged(
                                            .success(incident),
                                            note: "incident \(incident.id) started — switchboard timeline --incident")))
                            } else {
                                let incident = try log.end(counters: counters)
                                let seconds = Int((incident.end ?? Date()).timeIntervalSince(incident.start).rounded())
                                sink.yield(
                                    .message(
                                        .incidentChanged(
                                            .success(nil),
                                            note: "incident \(incident.id) ended after \(Timeline.duration(seconds))")))
                            }
                        } catch let error as SwitchboardError {
                            sink.yield(.message(.incidentChanged(.failure(error))))
                        } catch {
                            sink.yield(.message(.incidentChanged(.failure(SwitchboardError(.other, "\(error)")))))
                        }
                    }
                case .readRoutes, .loadRouteRecords, .performRoutes:
                    runRoutes(effect, model, sink: sink)
                case .loadAudit:
                    guard let audit = primary(model).executor?.audit else { break }
                    Task.detached {
                        let result = Result.capturing { try audit.records().records }
                            .mapError { SwitchboardError(.other, "cannot read \(audit.path): \($0.message)") }
                        sink.yield(.message(.auditLoaded(result)))
                    }
                case .refresh(let focus, let id):
                    guard let driver = connections[id]?.driver else { break }
                    refreshTrace?.record(id)
                    // Refreshes finish on their own (each exchange has a deadline) and report into the stream.
                    let started = now()
                    Task.detached {
                        let result = await Result.capturing { try await driver.snapshot(focusing: focus) }
                        sink.yield(.message(.refreshed(result, at: now(), from: id, started: started)))
                    }
                }
            }
            if model.quitRequested { return await finishDrill(model) }
            if case .message(.refreshed) = event, !model.drawsAfterRefresh, effects.isEmpty {
                continue  // the fleet view merges and draws at the next tick
            }
            if case .message(.tick(let time)) = event, effects.isEmpty, model.fleetMergedAt != time,
                model.message == footerBefore, time.timeIntervalSince(lastDrawAt) < 1
            {
                continue  // nothing merged, sent or cleared this tick; ages on screen move by the second
            }
            lastDrawAt = now()
            lastDrawn = draw(model, over: lastDrawn)
        }
        return model
    }

    /// Draws `model` whatever was shown (a last screen before closing).
    func draw(_ model: ConsoleModel) { terminal.draw(ConsoleRender.render(model)) }

    /// Renders `model` and hands the terminal the screen only when a cell differs from the one it shows: a tick
    /// or a refresh that changes nothing costs the terminal nothing.
    private func draw(_ model: ConsoleModel, over shown: Buffer) -> Buffer {
        let screen = ConsoleRender.render(model)
        if screen != shown { terminal.draw(screen) }
        return screen
    }
}

/// Appends a line per refresh to a file (only when asked for, by the benchmark).
final class RefreshTrace {
    private let fd: Int32
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    init?(path: String?) {
        guard let path, !path.isEmpty else { return nil }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.start = clock.now
    }

    func record(_ id: BalancerID) {
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileDescriptorWrite.all(Array((String(printf: "%.3f ", seconds) + id.rawValue + "\n").utf8), to: fd)
    }

    deinit { close(fd) }
}
