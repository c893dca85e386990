import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Routes through maps on a real haproxy whose frontend routes by host through `hosts.map` (issue 13): real
/// traffic for a host follows its entry; failover-routes and failback-routes move exactly those entries; a
/// refused target sends nothing; undo; compare-and-set against another operator.
@Suite("switchboard routes and route changes", .timeLimit(.minutes(2)))
struct RouteCommandTests {
    /// The backends that served `count` requests for `host` (by the origins' names, `backend/server`).
    static func servedBy(_ lab: Lab, host: String, count: Int = 12) async -> [String: Int] {
        let report = await TrafficGenerator.send(count: count, to: "/", port: lab.frontendPort, host: host)
        var backends: [String: Int] = [:]
        for (origin, served) in report.origins {
            backends[String(origin.split(separator: "/").first ?? ""), default: 0] += served
        }
        return backends
    }

    static func entry(_ lab: Lab, _ key: String) async throws -> String? {
        let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
        return try await RouteExecutor.readMaps(driver).first?.value(of: key)
    }

    static func run(_ lab: Lab, _ arguments: [String]) async throws -> BuiltProgram.Result {
        try await BuiltProgram.run(
            arguments + ["--socket", lab.adminSocket], environment: ActionCommandTests.environment(lab))
    }

    static func up(_ lab: Lab) async throws {
        try await Deadline.waitUntil("be_web and be_standby UP", timeout: .seconds(6)) {
            let snapshot = try await ActionCommandTests.admin(lab)
            return ["be_web", "be_standby"].allSatisfy { name in
                snapshot.backend(named: name)?.activeServers.contains { $0.status.text == "UP" } == true
            }
        }
    }

    @Test func routesListsTheMapWithEachBackendsStatus() async throws {
        try await Lab.with(.routed) { lab in
            try await Self.up(lab)
            let text = try await Self.run(lab, ["routes"])
            #expect(text.status == 0, "\(text.standardError)")
            #expect(text.standardOutput.contains("MAP #"))
            #expect(text.standardOutput.contains(lab.hostMap))
            #expect(
                text.standardOutput.range(of: #"www\.example →  be_web +[0-9]+/6 serving"#, options: .regularExpression)
                    != nil, "\(text.standardOutput)")
            #expect(text.standardOutput.contains("ACLS (read-only)"))
            let json = try await Self.run(lab, ["routes", "--json"])
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
            let maps = try #require(document["maps"] as? [[String: Any]])
            let entries = try #require(maps.first?["entries"] as? [[String: Any]])
            #expect(entries.map { $0["key"] as? String } == ["www.example", "api.example"])
            #expect((entries.first?["backend"] as? [String: Any])?["backend"] as? String == "be_web")
        }
    }

    @Test func failingARoutesBackendOverMovesItsTrafficAndFailbackRestoresIt() async throws {
        try await Lab.with(.routed) { lab in
            try await Self.up(lab)
            #expect(await Self.servedBy(lab, host: "www.example").keys.sorted() == ["be_web"])
            let dry = try await Self.run(lab, ["failover-routes", "be_web", "--to", "be_standby", "--dry-run"])
            #expect(dry.status == 0 && dry.standardOutput.contains("www.example  be_web → be_standby"))
            #expect(dry.standardOutput.contains("send      set map \(lab.hostMap) www.example be_standby"))
            #expect(try await Self.entry(lab, "www.example") == "be_web", "a dry run sent something")
            let over = try await Self.run(lab, ["failover-routes", "be_web", "--to", "be_standby", "--yes"])
            #expect(over.status == 0, "\(over.standardOutput)\(over.standardError)")
            #expect(over.standardOutput.contains("✓ failover-routes be_web --to be_standby — verified"))
            // Real traffic for the host now reaches the standby pool only; the other host is untouched.
            #expect(await Self.servedBy(lab, host: "www.example").keys.sorted() == ["be_standby"])
            #expect(await Self.servedBy(lab, host: "api.example").keys.sorted() == ["be_api"])
            let back = try await Self.run(lab, ["failback-routes", "be_web", "--yes"])
            #expect(back.status == 0, "\(back.standardOutput)\(back.standardError)")
            #expect(await Self.servedBy(lab, host: "www.example").keys.sorted() == ["be_web"])
            let again = try await Self.run(lab, ["failback-routes", "be_web", "--yes"])
            #expect(again.status == 65 && again.standardError.contains("no failover of be_web's routes on record"))
            // Audited: an attempt and an outcome for each, with the entries before → after.
            let records = try ActionCommandTests.records(lab)
            #expect(records.map(\.intent) == ["failover-routes be_web --to be_standby", "failback-routes be_web"])
            #expect(records.allSatisfy { $0.verified })
            #expect(
                records.first?.routes?.first?.before == "be_web" && records.first?.routes?.first?.after == "be_standby")
        }
    }

    @Test func aRefusedTargetSendsNothing() async throws {
        try await Lab.with(.routed) { lab in
            try await Self.up(lab)
            let unknown = try await Self.run(lab, ["route", "set", lab.hostMap, "www.example", "be_nope", "--yes"])
            #expect(unknown.status == 65 && unknown.standardError.contains("no backend be_nope"))
            let injected = try await Self.run(
                lab, ["route", "set", lab.hostMap, "www.example", "be_api;show", "--yes"])
            #expect(injected.status == 65)
            // A standby with no server serving: refused without its name typed, sent with it.
            for server in ["standby1", "standby2"] {
                _ = try await Self.run(lab, ["maint", "be_standby/\(server)", "--yes", "--confirm", "be_standby"])
            }
            let empty = try await Self.run(lab, ["route", "set", lab.hostMap, "www.example", "be_standby", "--yes"])
            #expect(empty.status == 65 && empty.standardError.contains("add --confirm be_standby"))
            #expect(try await Self.entry(lab, "www.example") == "be_web")
            #expect(try ActionCommandTests.records(lab).allSatisfy { $0.routes == nil }, "a refused route was audited")
            let typed = try await Self.run(
                lab, ["route", "set", lab.hostMap, "www.example", "be_standby", "--yes", "--confirm", "be_standby"])
            #expect(typed.status == 0 && typed.standardOutput.contains("be_standby has no server serving"))
            #expect(try await Self.entry(lab, "www.example") == "be_standby")
        }
    }

    @Test func undoPutsBackTheLastChangeButNotAnotherOperatorsLaterOne() async throws {
        try await Lab.with(.routed) { lab in
            try await Self.up(lab)
            let set = try await Self.run(lab, ["route", "set", lab.hostMap, "api.example", "be_standby", "--yes"])
            #expect(set.status == 0, "\(set.standardError)")
            #expect(await Self.servedBy(lab, host: "api.example").keys.sorted() == ["be_standby"])
            let undo = try await Self.run(lab, ["route", "undo", "--yes"])
            #expect(undo.status == 0 && undo.standardOutput.contains("api.example  be_standby → be_api"))
            #expect(await Self.servedBy(lab, host: "api.example").keys.sorted() == ["be_api"])
            // Changed again, then by another operator: undo leaves their value alone.
            _ = try await Self.run(lab, ["route", "set", lab.hostMap, "api.example", "be_standby", "--yes"])
            let other = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            _ = try await other.execute(try RuntimeCommand.raw("set map \(lab.hostMap) api.example be_web"))
            let refused = try await Self.run(lab, ["route", "undo", "--yes"])
            #expect(refused.status == 65 && refused.standardError.contains("changed since by someone else"))
            #expect(try await Self.entry(lab, "api.example") == "be_web")
        }
    }

    /// Compare-and-set: another operator moved the entry between the plan and the send — nothing is sent, and the
    /// attempt is not even recorded.
    @Test func aPlanMadeBeforeAnotherOperatorsChangeSendsNothing() async throws {
        try await Lab.with(.routed) { lab in
            try await Self.up(lab)
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            let snapshot = try await driver.snapshot()
            let plan = try RoutePlanner.failover(
                from: "be_web", to: "be_standby", maps: try await RouteExecutor.readMaps(driver), snapshot: snapshot)
            _ = try await driver.execute(try RuntimeCommand.raw("set map \(lab.hostMap) www.example be_api"))
            let audit = AuditLog(path: lab.directory + "/audit.jsonl")
            let refused = await #expect(throws: SwitchboardError.self) {
                try await RouteExecutor(driver: driver, audit: audit, via: "test").execute(
                    plan, balancer: snapshot.info)
            }
            #expect(refused?.code == .planChanged)
            #expect(refused?.message.contains("www.example") == true)
            #expect(try await Self.entry(lab, "www.example") == "be_api")
            #expect(try audit.records().records.isEmpty)
        }
    }

    /// A reload reloads the map file and forgets runtime route changes: `reapply` names the lost route with the
    /// server change lost with it, and puts both back (real host traffic follows); run again, nothing is lost.
    @Test func reapplyRestoresRoutesAReloadForgot() async throws {
        try await Lab.with(.routed) { lab in
            try await Self.up(lab)
            let over = try await Self.run(lab, ["failover-routes", "be_web", "--to", "be_standby", "--yes"])
            #expect(over.status == 0, "\(over.standardError)")
            let drain = try await Self.run(lab, ["drain", "be_api/api3", "--yes"])
            #expect(drain.status == 0, "\(drain.standardError)")
            try await lab.reload()
            try await Deadline.waitUntil("the reload reverted the route", timeout: .seconds(6)) {
                try await Self.entry(lab, "www.example") == "be_web"
            }
            try await Self.up(lab)
            let reapply = try await Self.run(lab, ["reapply", "--yes"])
            #expect(reapply.status == 0, "\(reapply.standardOutput)\(reapply.standardError)")
            #expect(reapply.standardOutput.contains("lost 1 route change(s): www.example be_standby → back to be_web"))
            #expect(reapply.standardOutput.contains("be_api/api3"), "\(reapply.standardOutput)")
            #expect(try await Self.entry(lab, "www.example") == "be_standby")
            #expect(await Self.servedBy(lab, host: "www.example").keys.sorted() == ["be_standby"])
            #expect(try await ActionCommandTests.admin(lab).server("be_api", "api3")?.admin.mode == .drain)
            let again = try await Self.run(lab, ["reapply", "--yes"])
            #expect(
                again.status == 0 && again.standardOutput.contains("no manual change was lost"),
                "\(again.standardOutput)")
            // Fail back still knows the original entries.
            let back = try await Self.run(lab, ["failback-routes", "be_web", "--yes"])
            #expect(back.status == 0, "\(back.standardError)")
            let restored = try await Self.entry(lab, "www.example")
            #expect(restored == "be_web")
        }
    }
}
