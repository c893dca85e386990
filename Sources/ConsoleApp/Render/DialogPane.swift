import FoundationEssentials
import SwitchboardCore
import SwitchboardOps
import TerminalUI

/// Dialogs: the previewed action with its impact and warnings, the weight input with every server's
/// share before → after, and the forced health/agent choice.
enum DialogPane {
    static func render(_ model: ConsoleModel, _ dialog: Dialog, theme: Theme, into buffer: inout Buffer) {
        let content = lines(model, dialog, theme: theme)
        let width = min(model.width - 2, max(44, (content.map { $0.text.count }.max() ?? 0) + 4))
        let height = min(model.height - 2, content.count + 2)
        let area = Rect(
            x: (model.width - width) / 2, y: max(1, (model.height - height) / 2), width: width, height: height)
        Frame(title: title(dialog), style: Style(bold: true), glyphs: model.glyphs).render(into: &buffer, area: area)
        let inner = Frame.inner(area)
        for (offset, line) in content.prefix(inner.height).enumerated() {
            buffer.write(Format.fit(line.text, inner.width - 2), x: inner.x + 1, y: inner.y + offset, style: line.style)
        }
    }

    static func title(_ dialog: Dialog) -> String {
        switch dialog {
        case .confirm(let plan, _): plan.reducesCapacity ? "Confirm \(plan.label)" : "Apply \(plan.label)"
        case .weight: "Set weight"
        case .force(_, let agent, _): agent ? "Force agent" : "Force health"
        case .raw: "Send a raw command"
        case .drainTimeout(let plan, _): "Drain, then MAINT — \(plan.intent.targets.count) server(s)"
        case .redistribute(let backend, _, _): "Redistribute \(backend)"
        case .fleet(let proposal, _):
            "\(proposal.reducesCapacity ? "Confirm" : "Apply") \(proposal.label) on \(proposal.taking.count) balancer\(proposal.taking.count == 1 ? "" : "s")"
        case .fleetResult(let table): table.succeeded ? "Done on every balancer" : "Not done on every balancer"
        case .fleetDrainTimeout(let proposal, _):
            "Drain, then MAINT — on \(proposal.taking.count) balancer\(proposal.taking.count == 1 ? "" : "s")"
        case .reapply: "Re-apply what the reload undid"
        case .incident(let open, _): open == nil ? "Start an incident" : "End the incident"
        case .routeTarget(let input):
            switch input.purpose {
            case .set(let line): "Route \(line.key) to…"
            case .failover(let from): "Fail over every route of \(from) to…"
            }
        case .routeConfirm(let plan, _, _): "Confirm \(plan.label)"
        case .drill(let form): "Drill \(form.backend)'s failover"
        case .drillReport(let report): "Drill \(report.spec.backend): \(report.result.rawValue)"
        }
    }

    typealias Line = (text: String, style: Style)

    static func lines(_ model: ConsoleModel, _ dialog: Dialog, theme: Theme) -> [Line] {
        switch dialog {
        case .fleet(let proposal, let typed): return FleetDialogLines.proposal(proposal, typed: typed, theme: theme)
        case .fleetResult(let table): return FleetDialogLines.result(table, theme: theme)
        case .drill(let form): return DrillDialogLines.form(form, model: model, theme: theme)
        case .drillReport(let report): return DrillDialogLines.report(report, theme: theme)
        case .fleetDrainTimeout(let proposal, let text):
            return [
                (
                    "drain "
                        + (proposal.taking.first?.plan?.intent.targets.map(\.description).joined(separator: ", ") ?? "")
                        + " on " + proposal.taking.map(\.label).joined(separator: ", "), Style(bold: true)
                ),
                (
                    "then MAINT on every one of them when all their sessions reach 0, or after this many seconds: \(text)█",
                    Style(bold: true)
                ),
                ("", .plain), ("Enter start · Esc cancel", Style(bold: true)),
            ]
        case .reapply(let plan, let id):
            let label = model.index(of: id).map { model.balancers[$0].profile.label } ?? id.rawValue
            var lines: [Line] = [("on \(label):", Style(bold: true))]
            for lost in model.lostChanges[id] ?? [] { lines.append(("  lost: " + lost.description, theme.warning)) }
            for line in PlanPreview(plan).lines where line.kind != .title {
                lines.append(
                    ((line.kind == .send ? "send: " : "") + line.text, line.kind == .send ? theme.dim : .plain))
            }
            lines.append(("", .plain))
            lines.append(("y/Enter re-apply · n/Esc cancel", Style(bold: true)))
            return lines
        case .confirm(let plan, let typed):
            var lines: [Line] = []
            for line in PlanPreview(plan).lines {
                switch line.kind {
                case .title: lines.append((line.text, Style(bold: true)))
                case .changed: lines.append((line.text, theme.error))
                case .capacity(let reduces, let emptied):
                    lines.append(("capacity " + line.text, emptied ? theme.error : reduces ? theme.warning : .plain))
                case .sessions, .note: lines.append((line.text, .plain))
                case .warning: lines.append(("! " + line.text, theme.warning))
                case .send:
                    if lines.last?.text.hasPrefix("send: ") != true { lines.append(("", .plain)) }
                    lines.append(("send: " + line.text, theme.dim))
                }
            }
            if plan.steps.isEmpty { lines.append(("", .plain)) }
            lines.append(("", .plain))
            if let name = Dialog.requiredName(plan) {
                lines.append(("\(name) will have NO active server serving.", theme.error))
                lines.append(("Type \(name) and Enter to proceed, Esc to cancel: \(typed)█", Style(bold: true)))
            } else {
                var keys = "y/Enter apply · n/Esc cancel"
                if plan.intent.operation == .setAdmin(.drain) { keys += " · W drain and watch · T then MAINT" }
                if plan.kind == .failback { keys += " · g one server at a time" }
                if RampProgress.offered(plan) { keys += " · r ramp 25/50/100%" }
                if !plan.leftAlone.isEmpty { keys += " · i restore the servers left alone too" }
                if plan.warnings.contains(where: { $0.contains("agent") }) && !plan.intent.disableAgentFirst {
                    keys += " · a also disable the agent"
                }
                lines.append((keys, Style(bold: true)))
            }
            return lines
        case .weight(let targets, let text):
            var lines: [Line] = [
                ("weight for " + targets.map(\.description).joined(separator: ", "), Style(bold: true))
            ]
            lines.append(("new weight (0–256, or 0–100% of the initial weight): \(text)█", Style(bold: true)))
            lines.append(("", .plain))
            if let snapshot = model.snapshot,
                let intent = try? ActionIntent.weight(targets, text.isEmpty ? "100%" : text)
            {
                switch Result(catching: { try ActionPlanner.plan(intent, on: snapshot) }) {
                case .success(let plan):
                    lines += sharePreview(plan, snapshot: snapshot)
                case .failure(let error):
                    lines.append(((error as? SwitchboardError)?.message ?? "\(error)", theme.error))
                }
            } else if !text.isEmpty {
                lines.append(("'\(text)' is not a weight: 0–256 or 0–100%", theme.error))
            }
            lines.append(("", .plain))
            lines.append(("Enter apply · Esc cancel", Style(bold: true)))
            return lines
        case .force(let targets, let agent, let disableChecks):
            var lines: [Line] = [(targets.map(\.description).joined(separator: ", "), Style(bold: true))]
            if !agent {
                lines.append(("A forced health state is overwritten by the next health check", theme.warning))
                lines.append(
                    ("unless checks are disabled: [\(disableChecks ? "x" : " ")] disable checks first (c)", .plain))
            }
            lines.append(("", .plain))
            lines.append(("d force down · u force up · Esc cancel", Style(bold: true)))
            lines.append(
                (
                    "E enable \(agent ? "the agent check" : "health checks") · X disable \(agent ? "it" : "them")",
                    theme.dim
                ))
            return lines
        case .redistribute(let backend, let plan, let error):
            var lines: [Line] = [
                ("e even split · c by capacity · s shed load above 80 % · Enter apply · Esc cancel", Style(bold: true))
            ]
            if model.isFleetView {
                lines.append(
                    ("each balancer in view is planned on its own weights and load; previewed per node", theme.dim))
            }
            if let error { lines.append((error, theme.error)) }
            if let plan {
                lines.append(("", .plain))
                lines.append(("\(backend)  server  weight  projected share before → after", Style(bold: true)))
                for row in plan.rows {
                    let changed = row.weightAfter != row.weightBefore
                    lines.append(
                        (
                            "  \(row.server)  \(row.weightBefore) → \(row.weightAfter)  "
                                + String(printf: "%.1f%% → %.1f%%", row.shareBefore * 100, row.shareAfter * 100),
                            changed ? Style(bold: true) : .plain
                        ))
                }
                for impact in plan.actions.impacts { lines.append(("capacity " + impact.summary, theme.dim)) }
            }
            return lines
        case .drainTimeout(let plan, let text):
            return [
                ("drain " + plan.intent.targets.map(\.description).joined(separator: ", "), Style(bold: true)),
                ("then MAINT when their sessions reach 0, or after this many seconds: \(text)█", Style(bold: true)),
                ("", .plain), ("Enter start · Esc cancel", Style(bold: true)),
            ]
        case .routeTarget(let input): return RouteDialogLines.target(input, model: model, theme: theme)
        case .routeConfirm(let plan, _, let typed): return RouteDialogLines.confirm(plan, typed: typed, theme: theme)
        case .incident(let open, let title):
            if let open {
                let minutes = Int(model.now.timeIntervalSince(open.start) / 60)
                return [
                    ("\(open.id)" + (open.title.isEmpty ? "" : ": \(open.title)"), Style(bold: true)),
                    (
                        "open since \(AuditRecord.timestamp(open.start).prefix(19))Z (\(minutes) min), by \(open.startedBy)",
                        .plain
                    ),
                    ("", .plain), ("y/Enter end it · n/Esc keep it open", Style(bold: true)),
                ]
            }
            return [
                ("What do users report? (a title for the timeline)", .plain),
                ("title: \(title)█", Style(bold: true)),
                ("", .plain),
                (
                    "Enter starts the incident now (switchboard timeline --incident writes its timeline) · Esc cancels",
                    Style(bold: true)
                ),
            ]
        case .raw(let command):
            return [
                ("This changes the balancer and is not previewed:", theme.warning),
                ("  \(command.line)", Style(bold: true)),
                ("", .plain), ("y/Enter send (recorded in the audit log) · any other key cancels", Style(bold: true)),
            ]
        }
    }

    /// Every server of the touched backends: weight and share of new traffic, before → after.
    static func sharePreview(_ plan: ActionPlan, snapshot: BalancerSnapshot) -> [Line] {
        var lines: [Line] = []
        let changed = Dictionary(
            uniqueKeysWithValues: plan.expectations.compactMap { expectation -> (ServerID, Int)? in
                if case .weight(let id, let weight) = expectation { return (id, weight) }
                return nil
            })
        for impact in plan.impacts {
            guard let backend = snapshot.backend(named: impact.backend) else { continue }
            var after = backend
            for index in after.servers.indices {
                if let weight = changed[after.servers[index].id] { after.servers[index].weight = weight }
            }
            // Columns aligned: names left, numbers right, so before → after reads down each column.
            let rows = zip(backend.servers, after.servers).map { old, new in
                (
                    name: old.name, before: "\(old.weight)", after: "\(new.weight)",
                    shareBefore: Share.text(of: old, in: backend), shareAfter: Share.text(of: new, in: after),
                    changed: changed[old.id] != nil
                )
            }
            func width(_ values: [String], _ title: String) -> Int { max(title.count, values.map(\.count).max() ?? 0) }
            let nameWidth = width(rows.map(\.name), "SERVER")
            let weightWidth = max(width(rows.map(\.before), ""), width(rows.map(\.after), ""))
            let shareWidth = max(width(rows.map(\.shareBefore), ""), width(rows.map(\.shareAfter), ""))
            func left(_ text: String, _ width: Int) -> String {
                text.padded(to: width)
            }
            func right(_ text: String, _ width: Int) -> String {
                String(repeating: " ", count: max(0, width - text.count)) + text
            }
            let weightColumn = 2 * weightWidth + 3, shareColumn = 2 * shareWidth + 3
            lines.append(("\(backend.name): weight and share of new traffic, before → after", Style(bold: true)))
            lines.append(
                (
                    "  " + left("SERVER", nameWidth) + "  " + right("WEIGHT", weightColumn) + "  "
                        + right("SHARE", shareColumn), Style(bold: true)
                ))
            for row in rows {
                lines.append(
                    (
                        "  " + left(row.name, nameWidth) + "  " + right(row.before, weightWidth) + " → "
                            + right(row.after, weightWidth) + "  " + right(row.shareBefore, shareWidth) + " → "
                            + right(row.shareAfter, shareWidth), row.changed ? Style(bold: true) : .plain
                    ))
            }
        }
        return lines
    }
}

/// The audit log view: newest first, with the exact commands sent.
enum LogPane {
    static func render(_ model: ConsoleModel, scroll: Int, theme: Theme, into buffer: inout Buffer) {
        let area = HelpPane.paneArea(model)
        Frame(
            title: "Audit log — \(model.auditRecords.filter { !$0.isAttempt }.count) record(s)",
            style: Style(bold: true),
            glyphs: model.glyphs
        )
        .render(into: &buffer, area: area)
        let inner = Frame.inner(area)
        var lines: [(String, Style)] = []
        let finished = Set(model.auditRecords.filter { $0.phase == "outcome" }.compactMap(\.id))
        for record in model.auditRecords.reversed() {
            if record.isAttempt {
                // An attempt is shown only when its outcome never arrived: what it did is unknown.
                guard !finished.contains(record.id ?? "") else { continue }
                lines.append(
                    (
                        "? \(record.time)  \(record.user)@\(record.host)  \(record.intent) "
                            + record.targets.map(\.description).joined(separator: ", ")
                            + " — outcome unknown — check the balancer",
                        theme.warning
                    ))
                for command in record.planned ?? [] { lines.append(("    about to send: \(command)", theme.dim)) }
                continue
            }
            let mark = record.verified ? "✓" : "✗"
            lines.append(
                (
                    "\(mark) \(record.time)  \(record.user)@\(record.host)  \(record.intent) \(record.targets.map(\.description).joined(separator: ", "))",
                    record.verified ? theme.good : theme.error
                ))
            for command in record.commands {
                lines.append(
                    ("    \(command.command)" + (command.reply.isEmpty ? "" : "  → \(command.reply)"), theme.dim))
            }
            if !record.verified { lines.append(("    \(record.outcome)", theme.error)) }
        }
        if lines.isEmpty { lines.append(("no actions recorded yet", theme.dim)) }
        for (offset, line) in lines.dropFirst(min(scroll, max(0, lines.count - inner.height))).prefix(inner.height)
            .enumerated()
        {
            buffer.write(Format.fit(line.0, inner.width - 2), x: inner.x + 1, y: inner.y + offset, style: line.1)
        }
    }
}

/// The raw prompt's transcript, newest at the bottom.
enum RawPane {
    static func render(_ model: ConsoleModel, scroll: Int, theme: Theme, into buffer: inout Buffer) {
        let area = HelpPane.paneArea(model)
        Frame(
            title: "Runtime API — \(model.snapshot?.info.socket ?? "")", style: Style(bold: true), glyphs: model.glyphs
        )
        .render(into: &buffer, area: area)
        let inner = Frame.inner(area)
        let lines =
            model.prompt.transcript.isEmpty
            ? ["type a command, e.g. show servers state, get weight BACKEND/SERVER; Tab completes names"]
            : model.prompt.transcript
        let end = max(0, lines.count - scroll)
        let visible = lines[max(0, end - inner.height)..<end]
        for (offset, line) in visible.enumerated() {
            let style = line.hasPrefix("> ") ? Style(bold: true) : line.hasPrefix("✗") ? theme.error : .plain
            buffer.write(Format.fit(line, inner.width - 2), x: inner.x + 1, y: inner.y + offset, style: style)
        }
    }
}

/// The events view: newest first, UTC times, severity.
enum EventsPane {
    static func render(_ model: ConsoleModel, scroll: Int, theme: Theme, into buffer: inout Buffer) {
        let area = HelpPane.paneArea(model)
        Frame(title: "Events — \(model.events.count)", style: Style(bold: true), glyphs: model.glyphs).render(
            into: &buffer, area: area)
        let inner = Frame.inner(area)
        let events = Array(model.events.reversed())
        if events.isEmpty {
            buffer.write(
                "no events yet: transitions, admin changes, backups in use, flapping, queues and 5xx appear here",
                x: inner.x + 1, y: inner.y, style: theme.dim, maxWidth: inner.width - 2)
            return
        }
        for (offset, event) in events.dropFirst(min(scroll, max(0, events.count - inner.height))).prefix(inner.height)
            .enumerated()
        {
            let style: Style =
                event.severity == .critical ? theme.error : event.severity == .warning ? theme.warning : .plain
            let label = event.severity == .critical ? "CRIT" : event.severity == .warning ? "WARN" : "info"
            let text =
                "\(AuditRecord.timestamp(event.time).dropFirst(11).prefix(8))Z  \(label)  "
                + (event.balancer.map { "[\($0)] " } ?? "")
                + event.message
            buffer.write(Format.fit(text, inner.width - 2), x: inner.x + 1, y: inner.y + offset, style: style)
        }
    }
}
