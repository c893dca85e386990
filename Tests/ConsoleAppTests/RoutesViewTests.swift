import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// The console's routes view (issue 13) as keys drive it: open it, read the maps, switch an entry, fail every
/// route of a backend over, fail back and undo from the records — each through a preview — and refusals.
@Suite("Console routes view")
struct RoutesViewTests {
    static let file = "/etc/haproxy/hosts.map"

    static func maps() -> [RouteMapContents] {
        [
            RouteMapContents(
                map: RouteMap(id: 3, file: file, entryCount: 3, description: "pattern loaded from file"),
                entries: [
                    RouteEntry(key: "www.example", value: "be_static"), RouteEntry(key: "api.example", value: "be_app"),
                    RouteEntry(key: "static.example", value: "be_static"),
                ])
        ]
    }

    /// The model with the routes view open and its maps read.
    static func opened(records: [RouteStore.Record] = []) throws -> (ConsoleModel, [ConsoleEffect]) {
        var model = try ConsoleFixtures.model(width: 120, height: 36)
        let effects = ConsoleFixtures.press([.char("R")], &model)
        _ = ConsoleUpdate.update(&model, .routesRead(.success(maps()), from: model.primary.id))
        _ = ConsoleUpdate.update(&model, .routeRecordsLoaded(.success(records), from: model.primary.id))
        return (model, effects)
    }

    static func text(_ model: ConsoleModel) -> String { ConsoleRender.render(model).golden }

    @Test func openingReadsTheMapsAndListsEachEntryWithItsBackendsStatus() throws {
        let (model, effects) = try Self.opened()
        #expect(effects == [.readRoutes(on: model.primary.id), .loadRouteRecords(on: model.primary.id)])
        let screen = Self.text(model)
        #expect(screen.contains("Routes — "))
        #expect(screen.contains("1 map, 3 entries"))
        #expect(
            screen.range(of: #"www\.example +→  be_static +2/2 serving"#, options: .regularExpression) != nil,
            "\(screen)")
        #expect(
            screen.range(of: #"api\.example +→  be_app +[0-9]+/7 serving"#, options: .regularExpression) != nil,
            "\(screen)")
        #expect(screen.contains("runtime map changes are lost on reload"))
    }

    @Test func enterSwitchesTheSelectedEntryThroughAPreview() throws {
        var (model, _) = try Self.opened()
        ConsoleFixtures.press([.down, .enter], &model)
        guard case .routeTarget(let input) = model.dialog else { Issue.record("no target dialog"); return }
        #expect(
            input.purpose
                == .set(
                    RoutesState.Line(map: try MapReference(parsing: Self.file), key: "api.example", value: "be_app")))
        ConsoleFixtures.press(ConsoleFixtures.keys("be_t") + [.tab], &model)
        guard case .routeTarget(let completed) = model.dialog else { Issue.record("dialog closed"); return }
        #expect(completed.text == "be_track")
        ConsoleFixtures.press([.enter], &model)
        guard case .routeConfirm(let plan, let keep, _) = model.dialog else { Issue.record("no preview"); return }
        #expect(try plan.commands().map(\.line) == ["set map \(Self.file) api.example be_track"])
        #expect(keep == .record(failoverFrom: nil))
        let screen = Self.text(model)
        #expect(screen.contains("route   api.example  be_app → be_track"), "\(screen)")
        #expect(screen.contains("target  be_track: 1/2 serving"))
        let effects = ConsoleFixtures.press([.char("y")], &model)
        #expect(effects == [.performRoutes(plan, keep: keep, on: model.primary.id)])
        #expect(model.dialog == nil)
    }

    @Test func anUnknownBackendIsRefusedInTheDialogAndNothingIsSent() throws {
        var (model, _) = try Self.opened()
        ConsoleFixtures.press([.enter] + ConsoleFixtures.keys("be_nope"), &model)
        let effects = ConsoleFixtures.press([.enter], &model)
        #expect(effects.isEmpty)
        guard case .routeTarget(let input) = model.dialog else { Issue.record("dialog closed"); return }
        #expect(input.error?.contains("no backend be_nope") == true)
        ConsoleFixtures.press([.escape], &model)
        #expect(model.dialog == nil)
    }

    @Test func theFailoverKeyMovesEveryRouteOfTheSelectedEntrysBackend() throws {
        var (model, _) = try Self.opened()
        ConsoleFixtures.press([.char("F")] + ConsoleFixtures.keys("be_track") + [.enter], &model)
        guard case .routeConfirm(let plan, let keep, _) = model.dialog else { Issue.record("no preview"); return }
        #expect(plan.changes.map(\.key) == ["www.example", "static.example"])
        #expect(keep == .record(failoverFrom: "be_static"))
    }

    @Test func failBackAndUndoPlanFromTheRecords() throws {
        let reference = try MapReference(parsing: Self.file)
        let failover = RouteStore.Record(
            id: "f1", time: "", socket: "/run/haproxy/admin.sock", label: "failover-routes be_app --to be_static",
            failoverFrom: "be_app",
            changes: [RouteChange(map: reference, key: "api.example", before: "be_app", after: "be_static")])
        var maps = Self.maps()
        maps[0].entries[1].value = "be_static"
        var (model, _) = try Self.opened(records: [failover])
        _ = ConsoleUpdate.update(&model, .routesRead(.success(maps), from: model.primary.id))
        ConsoleFixtures.press([.down, .char("B")], &model)
        guard case .routeConfirm(let plan, let keep, _) = model.dialog else { Issue.record("no preview"); return }
        #expect(plan.changes == [RouteChange(map: reference, key: "api.example", before: "be_static", after: "be_app")])
        #expect(keep == .restored(id: "f1"))
        ConsoleFixtures.press([.escape, .char("u")], &model)
        guard case .routeConfirm(let undo, _, _) = model.dialog else { Issue.record("no undo preview"); return }
        #expect(undo.label == "undo of failover-routes be_app --to be_static")
    }

    @Test func aTargetWithNoServerServingNeedsItsNameTyped() throws {
        var (model, _) = try Self.opened()
        var snapshot = try ConsoleFixtures.snapshot()
        let index = try #require(snapshot.backends.firstIndex { $0.name == "be_track" })
        for server in snapshot.backends[index].servers.indices { snapshot.backends[index].servers[server].weight = 0 }
        _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot), at: model.now))
        ConsoleFixtures.press([.enter] + ConsoleFixtures.keys("be_track") + [.enter], &model)
        #expect(Self.text(model).contains("be_track has NO server serving"))
        #expect(ConsoleFixtures.press([.char("y")], &model).isEmpty)
        let effects = ConsoleFixtures.press(ConsoleFixtures.keys("e_track") + [.enter], &model)
        #expect(effects.isEmpty, "typed 'ye_track', not the name")
        ConsoleFixtures.press([.control("u")] + ConsoleFixtures.keys("be_track"), &model)
        let sent = ConsoleFixtures.press([.enter], &model)
        #expect(sent.count == 1)
    }

    @Test func readOnlyRefusesRouteChanges() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 36)
        model.readOnlyRequested = true
        ConsoleFixtures.press([.char("R")], &model)
        _ = ConsoleUpdate.update(&model, .routesRead(.success(Self.maps()), from: model.primary.id))
        #expect(ConsoleFixtures.press([.enter], &model).isEmpty)
        #expect(model.dialog == nil)
        #expect(model.message?.text.contains("read-only") == true)
    }

    @Test func theResultIsShownAndTheMapsReadAgain() throws {
        var (model, _) = try Self.opened()
        let plan = try RoutePlanner.set(
            try MapReference(parsing: Self.file), key: "www.example", to: "be_track", maps: Self.maps(),
            snapshot: try ConsoleFixtures.snapshot())
        let outcome = RouteOutcome(plan: plan, exchanges: [], verified: true, unmet: [], failure: nil, id: "x")
        let effects = ConsoleUpdate.update(&model, .routesPerformed(.success(outcome), from: model.primary.id))
        #expect(effects.contains(.readRoutes(on: model.primary.id)))
        #expect(model.message?.text.contains("verified by reading the map back") == true)
    }
}
