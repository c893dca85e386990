import FoundationEssentials
import SwitchboardCore

extension ConsoleUpdate {
    /// The drill key: opens the drill dialog on the selected backend; while a drill runs, stops it (it restores).
    static func performDrill(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        if var running = model.runningDrill {
            guard !running.stopping else {
                return info("drill \(running.backend): already stopping, restoring…", &model)
            }
            running.stopping = true
            model.runningDrill = running
            model.message = FooterMessage(
                text: "drill \(running.backend): stopping — restoring the pre-drill states…", isError: false,
                until: model.now.addingTimeInterval(60))
            return [.stopDrill]
        }
        if model.isFleetView {
            model.message = FooterMessage(
                text: "a drill from the console runs on the balancer in focus — press "
                    + "\(model.keymap.keys(for: .focus).first?.description ?? "b") or :target NAME (for the fleet, "
                    + "one at a time: switchboard drill BACKEND --target …); nothing was sent",
                isError: true, until: model.now.addingTimeInterval(6))
            return []
        }
        if let reason = model.readOnlyReason {
            model.message = FooterMessage(
                text: "read-only (\(reason)): drill is disabled; nothing was sent", isError: true,
                until: model.now.addingTimeInterval(4))
            return []
        }
        guard let snapshot = model.snapshot, let name = selectedBackend(model),
            let backend = snapshot.backend(named: name)
        else { return info("select a backend (or one of its servers) to drill", &model) }
        model.dialog = .drill(DrillForm(backend: backend, balancer: model.primary.id))
        return []
    }

    /// Keys in the drill dialog: Tab the injection, +/- the time, the backend's name typed, Enter runs.
    static func drillKey(_ key: Key, form: DrillForm, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        var form = form
        switch key {
        case .tab: form.nextInjection()
        case .char("+"): form.withinSeconds = min(60, form.withinSeconds + 5)
        case .char("-"): form.withinSeconds = max(5, form.withinSeconds - 5)
        case .backspace: form.typed = String(form.typed.dropLast())
        case .enter:
            guard form.typed == form.backend else {
                model.message = FooterMessage(
                    text: "type \(form.backend) to run the drill (it takes servers out on purpose)", isError: true,
                    until: model.now.addingTimeInterval(4))
                return []
            }
            guard let backend = model.snapshot?.backend(named: form.backend) else {
                model.dialog = nil
                return info("\(form.backend) is no longer reported; nothing was sent", &model)
            }
            do {
                _ = try form.spec.injected(in: backend)
            } catch let error as SwitchboardError {
                return failure(error, &model)
            } catch {}
            model.dialog = nil
            model.runningDrill = RunningDrill(
                backend: form.backend, balancer: form.balancer, started: model.now,
                lastLine: "checking the steady state")
            model.message = FooterMessage(
                text: "drill \(form.backend): checking the steady state…", isError: false,
                until: model.now.addingTimeInterval(60))
            return [.runDrill(form.spec, on: form.balancer)]
        case .char(let character) where !character.isNewline && form.typed.count < 200:
            form.typed.append(character)
        default: break
        }
        model.dialog = .drill(form)
        return []
    }

    /// A progress line of the running drill, in the footer with the key that stops it.
    static func drillProgress(_ line: String, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard var running = model.runningDrill else { return [] }
        running.lastLine = line
        model.runningDrill = running
        let stop = model.keymap.keys(for: .drill).first?.description ?? "T"
        model.message = FooterMessage(
            text: "drill \(running.backend): \(line)" + (running.stopping ? "" : " · \(stop) stops and restores"),
            isError: false, until: model.now.addingTimeInterval(60))
        return []
    }

    /// The drill finished: its report in a dialog (unless another dialog is open: then in the footer).
    static func drillFinished(_ result: Result<DrillReport, SwitchboardError>, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        model.runningDrill = nil
        switch result {
        case .success(let report):
            let text =
                "drill \(report.spec.backend): \(report.result.rawValue)"
                + (report.restored ? ", restored (verified)" : ", NOT RESTORED — \(report.finishWith ?? "")")
            model.message = FooterMessage(
                text: text, isError: report.exitCode != 0, until: model.now.addingTimeInterval(10), isResult: true)
            if model.dialog == nil { model.dialog = .drillReport(report) }
            return [.refresh(focus: [report.spec.backend], on: model.primary.id)]
        case .failure(let error):
            return failure(error, &model)
        }
    }
}
