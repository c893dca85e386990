import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

@testable import ConsoleApp

/// The console's drill dialog (T) on the selected backend: the drill it runs is the command line's, it needs the
/// backend's name typed, it is refused read-only and in the fleet view, T stops a running drill, and the report
/// arrives as a dialog.
@Suite("Drill dialog in the console")
struct DrillDialogTests {
    @Test func theDialogShowsTheDrillAndRunsItOnceTheBackendIsTyped() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("T")], &model)  // on be_app
        guard case .drill(let form) = model.dialog else { Issue.record("no drill dialog"); return }
        #expect(form.backend == "be_app" && form.expect == .backups && form.injection == .healthDown)
        assertScreen(model, named: "120x40")
        ConsoleFixtures.press([.tab, .char("+"), .char("+")], &model)  // agent-down, 20 s
        ConsoleFixtures.press(ConsoleFixtures.keys("be_ap") + [.enter], &model)
        #expect(model.message?.text == "type be_app to run the drill (it takes servers out on purpose)")
        guard case .drill(let typed) = model.dialog else { Issue.record("the dialog closed"); return }
        #expect(typed.injection == .agentDown && typed.withinSeconds == 20 && typed.typed == "be_ap")
        let effects = ConsoleFixtures.press([.char("p"), .enter], &model)
        var expected = DrillSpec(backend: "be_app", injection: .agentDown, expect: .backups)
        expected.within = 20
        expected.duration = 30
        #expect(effects == [.runDrill(expected, on: model.primary.id)])
        #expect(typed.commandLine.hasPrefix("switchboard drill be_app --inject agent-down --expect backups"))
        #expect(model.dialog == nil && model.runningDrill?.backend == "be_app")
        // The servers the dialog names are the ones the command line's runner takes out on the same snapshot.
        let runnerTargets = try expected.injected(
            in: try #require(try ConsoleFixtures.snapshot().backend(named: "be_app")))
        #expect(runnerTargets.map(\.description) == ["be_app/app5"])  // app1–4 and app6 are not serving
        #expect(
            DialogPane.lines(model, .drill(form), theme: Theme(color: false)).map(\.text).contains(
                "on        be_app/app5"))
    }

    @Test func aRunningDrillShowsItsProgressStopsOnTAndReportsInADialog() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("T")] + ConsoleFixtures.keys("be_app") + [.enter], &model)
        _ = ConsoleUpdate.update(&model, .drillProgress("injecting health-down on be_app/app1"))
        #expect(model.message?.text == "drill be_app: injecting health-down on be_app/app1 · T stops and restores")
        #expect(ConsoleFixtures.press([.char("T")], &model) == [.stopDrill])
        #expect(model.runningDrill?.stopping == true)
        var report = DrillReport(
            spec: DrillSpec(backend: "be_app", injection: .healthDown, expect: .backups),
            balancer: "/run/haproxy/admin.sock", version: "2.6.12", started: "2026-12-03T09:00:00.000Z",
            injected: ["be_app/app1", "be_app/app2"])
        report.result = .aborted
        report.abortReason = "stopped from the console"
        report.firstSessionSeconds = 0.6
        report.shiftedSeconds = 1.1
        report.totalSessions = 40
        report.hypotheses = [
            .init(phase: "before", statement: "5xx ≤ 5/s", measured: "0.0/s", held: true),
            .init(
                phase: "during", statement: "the backups take ≥ 95 % of new sessions within 10 s",
                measured: "after 1.1 s", held: true),
        ]
        let effects = ConsoleUpdate.update(&model, .drillFinished(.success(report)))
        #expect(effects == [.refresh(focus: ["be_app"], on: model.primary.id)])
        #expect(model.runningDrill == nil)
        guard case .drillReport = model.dialog else { Issue.record("no report dialog"); return }
        assertScreen(model, named: "report-120x40")
        ConsoleFixtures.press([.char("x")], &model)
        #expect(model.dialog == nil)
    }

    @Test func readOnlyAndNoBackendAreRefusedAndEscSendsNothing() throws {
        var readOnly = try ConsoleFixtures.model(width: 120, height: 40)
        readOnly.readOnlyRequested = true
        #expect(ConsoleFixtures.press([.char("T")], &readOnly).isEmpty)
        #expect(readOnly.dialog == nil && readOnly.message?.text.contains("drill is disabled") == true)
        var user = try ConsoleFixtures.model(width: 120, height: 40, level: .user)
        #expect(ConsoleFixtures.press([.char("T")], &user).isEmpty && user.dialog == nil)
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("T")], &model)
        #expect(ConsoleFixtures.press([.escape], &model).isEmpty && model.dialog == nil)
    }

    @Test func theFleetViewSendsTheOperatorToOneBalancer() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        #expect(ConsoleFixtures.press([.char("T")], &model).isEmpty)
        #expect(model.message?.text.hasPrefix("a drill from the console runs on the balancer in focus") == true)
    }
}
