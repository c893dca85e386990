import ConsoleApp
import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

/// A drill started from the console: its task and the switch that stops it (it restores, then reports).
struct ActiveDrill {
    let task: Task<Void, Never>
    let stop: DrillStop
}

extension ConsoleRunner {
    /// Starts `spec` on the balancer `id` with its driver and executor (audited; the pre-drill states recorded in
    /// `failovers.json` beside the audit log before anything is sent); progress and the report come back as messages.
    func runDrill(
        _ spec: DrillSpec, on id: BalancerID, _ model: ConsoleModel, sink: AsyncStream<RuntimeEvent>.Continuation
    ) {
        guard activeDrill == nil else {
            sink.yield(
                .message(.drillFinished(.failure(SwitchboardError(.invalidValue, "a drill is already running")))))
            return
        }
        let connection = connections[id] ?? primary(model)
        guard let executor = connection.executor else {
            sink.yield(
                .message(
                    .drillFinished(
                        .failure(
                            SwitchboardError(.unsupported, "drills need actions here (an admin socket, the audit log)"))
                    )))
            return
        }
        let runner = DrillRunner(
            driver: connection.driver, executor: executor, store: FailoverStore(besides: executor.audit), spec: spec)
        let stop = DrillStop()
        let task = Task.detached {
            let result = await Result.capturing {
                try await runner.run(stop: stop) { line in sink.yield(.message(.drillProgress(line))) }
            }
            sink.yield(.message(.drillFinished(result)))
        }
        activeDrill = ActiveDrill(task: task, stop: stop)
    }

    /// Before the console closes (q, Ctrl-C, SIGTERM, input gone): a running drill is stopped and its restore
    /// awaited, with the footer saying so — the console never leaves servers taken out by its own drill.
    func finishDrill(_ model: ConsoleModel) async -> ConsoleModel {
        guard let drill = activeDrill else { return model }
        var shown = model
        shown.dialog = nil
        shown.message = FooterMessage(
            text: "drill \(model.runningDrill?.backend ?? ""): restoring the pre-drill states before closing…",
            isError: false, until: Date().addingTimeInterval(120))
        draw(shown)
        drill.stop.request("the console was closed during the drill")
        await drill.task.value
        activeDrill = nil
        return model
    }
}
