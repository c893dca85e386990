import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Routes through maps (issue 13): `show map` parsed from recorded HAProxy 2.6 output, what may be sent, and the
/// plans for set, add, del, failover of a backend's routes and their restore.
@Suite("Routes (maps)")
struct RoutePlannerTests {
    static let file = "/tmp/maptest/hosts.map"

    static func maps(_ entries: [(String, String)] = [("www.example", "be_static"), ("api.example", "be_app")])
        -> [RouteMapContents]
    {
        [
            RouteMapContents(
                map: RouteMap(id: 0, file: file, entryCount: entries.count, description: ""),
                entries: entries.map { RouteEntry(key: $0.0, value: $0.1) })
        ]
    }

    static var reference: MapReference { get throws { try MapReference(parsing: file) } }

    @Test func recordedShowMapOutputsParse() throws {
        let maps = try RouteMap.list(parsing: try Fixtures.text("show-map.txt"))
        #expect(maps.count == 1)
        #expect(maps[0].id == 0 && maps[0].file == Self.file && maps[0].entryCount == 2)
        #expect(maps[0].reference.value == Self.file)
        let entries = try RouteEntry.entries(parsing: try Fixtures.text("show-map-entries.txt"))
        #expect(
            entries == [
                RouteEntry(key: "www.example", value: "be_web"), RouteEntry(key: "api.example", value: "be_api"),
            ])
        #expect(throws: SwitchboardError.self) {
            try RouteEntry.entries(parsing: "Unknown map identifier. Please use #<id> or <file>.\n")
        }
        #expect(throws: SwitchboardError.self) { try RouteMap.list(parsing: "# id (file) description\nbogus line\n") }
    }

    @Test func onlySafeMapsKeysAndValuesAreSent() throws {
        for bad in ["a;b", "two words", "back\\slash", "q\"uote", "#x", ""] {
            #expect(throws: SwitchboardError.self, "\(bad)") { try RouteToken(bad) }
        }
        #expect(try RouteToken("www.example.com:8080").value == "www.example.com:8080")
        #expect(try RouteToken("/api/v1/*").value == "/api/v1/*")
        for bad in ["/m;x.map", "a b", "#x", "'q'"] {
            #expect(throws: SwitchboardError.self, "\(bad)") { try MapReference(parsing: bad) }
        }
        #expect(try MapReference(parsing: "#3").value == "#3")
        let key = try RouteToken("www.example")
        let value = try RouteToken("be_b", role: "value")
        #expect(RuntimeCommand.setMap(try Self.reference, key, value).line == "set map \(Self.file) www.example be_b")
        #expect(RuntimeCommand.addMap(try Self.reference, key, value).line == "add map \(Self.file) www.example be_b")
        #expect(RuntimeCommand.deleteMap(try Self.reference, key).line == "del map \(Self.file) www.example")
        #expect(RuntimeCommand.setMap(try Self.reference, key, value).isWrite)
    }

    @Test func setAddAndDeletePlanOneEntryEach() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        let set = try RoutePlanner.set(
            try Self.reference, key: "api.example", to: "be_track", maps: Self.maps(), snapshot: snapshot)
        #expect(
            set.changes == [
                RouteChange(map: try Self.reference, key: "api.example", before: "be_app", after: "be_track")
            ])
        #expect(try set.commands().map(\.line) == ["set map \(Self.file) api.example be_track"])
        #expect(set.targets.map(\.description) == ["be_track: 1/2 serving, \(set.targets[0].rate)/s now"])
        #expect(set.typedConfirmation == nil)
        // Refusals, each before anything is planned to be sent.
        #expect(throws: SwitchboardError.self) {
            try RoutePlanner.set(try Self.reference, key: "nope", to: "be_track", maps: Self.maps(), snapshot: snapshot)
        }
        let missing = #expect(throws: SwitchboardError.self) {
            try RoutePlanner.set(
                try Self.reference, key: "api.example", to: "be_x", maps: Self.maps(), snapshot: snapshot)
        }
        #expect(missing?.code == .noSuchBackend)
        #expect(throws: SwitchboardError.self) {
            try RoutePlanner.set(
                try MapReference(parsing: "/other.map"), key: "api.example", to: "be_track", maps: Self.maps(),
                snapshot: snapshot)
        }
        let same = #expect(throws: SwitchboardError.self) {
            try RoutePlanner.set(
                try Self.reference, key: "api.example", to: "be_app", maps: Self.maps(), snapshot: snapshot)
        }
        #expect(same?.code == .alreadyAsAsked)
        // add refuses an existing key (HAProxy would keep a second entry no lookup reaches).
        #expect(throws: SwitchboardError.self) {
            try RoutePlanner.add(
                try Self.reference, key: "www.example", to: "be_app", maps: Self.maps(), snapshot: snapshot)
        }
        let add = try RoutePlanner.add(
            try Self.reference, key: "new.example", to: "be_app", maps: Self.maps(), snapshot: snapshot)
        #expect(try add.commands().map(\.line) == ["add map \(Self.file) new.example be_app"])
        let delete = try RoutePlanner.delete(try Self.reference, key: "www.example", maps: Self.maps())
        #expect(try delete.commands().map(\.line) == ["del map \(Self.file) www.example"])
    }

    @Test func aBackendWithNoServerServingNeedsItsNameTyped() throws {
        var snapshot = try SnapshotBuilderTests.snapshot()
        let index = try #require(snapshot.backends.firstIndex { $0.name == "be_static" })
        for server in snapshot.backends[index].servers.indices { snapshot.backends[index].servers[server].weight = 0 }
        let plan = try RoutePlanner.set(
            try Self.reference, key: "api.example", to: "be_static", maps: Self.maps(), snapshot: snapshot)
        #expect(plan.typedConfirmation == "be_static")
        #expect(plan.warnings.contains { $0.contains("be_static has no server serving") })
    }

    @Test func failoverMovesEveryRouteOfABackendAndRestoreUndoesExactlyThose() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        let maps = Self.maps([("www.example", "be_static"), ("api.example", "be_app"), ("static.example", "be_static")])
        let failover = try RoutePlanner.failover(from: "be_static", to: "be_track", maps: maps, snapshot: snapshot)
        #expect(failover.changes.map(\.key) == ["www.example", "static.example"])
        #expect(failover.changes.allSatisfy { $0.before == "be_static" && $0.after == "be_track" })
        #expect(throws: SwitchboardError.self) {
            try RoutePlanner.failover(from: "be_none", to: "be_track", maps: maps, snapshot: snapshot)
        }
        // After the failover, someone moved static.example elsewhere: the restore leaves it alone and says so.
        let after = Self.maps([("www.example", "be_track"), ("api.example", "be_app"), ("static.example", "be_app")])
        let restore = try RoutePlanner.restore(failover.changes, label: "failback", maps: after, snapshot: snapshot)
        #expect(
            restore.changes == [
                RouteChange(map: try Self.reference, key: "www.example", before: "be_track", after: "be_static")
            ])
        #expect(restore.warnings.contains { $0.contains("static.example (now be_app") })
        // Compare-and-set: the failover plan no longer stands on the later maps.
        #expect(RoutePlanner.conflicts(failover, maps: after).count == 2)
        #expect(RoutePlanner.conflicts(failover, maps: maps).isEmpty)
    }

    /// Route changes lost on reload (the map file reloaded): the entries back to their `before` are re-applied,
    /// several changes of one entry fold into the last, and an entry someone else changed is left alone.
    @Test func reapplyPutsBackWhatAReloadReverted() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        let reference = try Self.reference
        let changes = [
            RouteChange(map: reference, key: "www.example", before: "be_static", after: "be_track"),
            RouteChange(map: reference, key: "www.example", before: "be_track", after: "be_app"),
            RouteChange(map: reference, key: "api.example", before: "be_app", after: "be_track"),
            RouteChange(map: reference, key: "static.example", before: "be_static", after: "be_track"),
        ]
        // After the reload: www and api back to the file's values, static.example moved by someone else.
        let reloaded = Self.maps([
            ("www.example", "be_static"), ("api.example", "be_app"), ("static.example", "be_app"),
        ])
        let plan = try #require(try RoutePlanner.reapply(changes, maps: reloaded, snapshot: snapshot))
        #expect(
            plan.changes == [
                RouteChange(map: reference, key: "www.example", before: "be_static", after: "be_app"),
                RouteChange(map: reference, key: "api.example", before: "be_app", after: "be_track"),
            ])
        #expect(plan.warnings.contains { $0.contains("static.example (now be_app)") })
        // Nothing lost: nil.
        let kept = Self.maps([("www.example", "be_app"), ("api.example", "be_track"), ("static.example", "be_track")])
        #expect(try RoutePlanner.reapply(changes, maps: kept, snapshot: snapshot) == nil)
    }
}
