import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// Runtime changes lost on reload (issue 10, point 3): a reload without a server-state file forgets a DRAIN
/// and a weight; `reapply` names both and restores them; a change undone before the reload is not re-applied.
@Suite("switchboard reapply after a reload", .timeLimit(.minutes(2)))
struct ReapplyCommandTests {
    @Test func theChangesAReloadLostAreNamedAndRestoredButNotAnUndoneOne() async throws {
        try await Lab.with(.demo) { lab in
            let environment = ActionCommandTests.environment(lab)
            let socket = ["--socket", lab.adminSocket]
            for arguments in [
                ["drain", "be_web/web1", "--yes"], ["weight", "be_api/api2", "20", "--yes"],
                ["drain", "be_web/web3", "--yes"],
                ["ready", "be_web/web3"],  // undone before the reload: not to be re-applied
            ] {
                let result = try await BuiltProgram.run(arguments + socket, environment: environment)
                #expect(result.status == 0, "\(arguments): \(result.standardError)")
            }
            let nothing = try await BuiltProgram.run(["reapply", "--yes"] + socket, environment: environment)
            #expect(nothing.status == 0 && nothing.standardOutput.contains("no manual change was lost"))

            let before = try await ActionCommandTests.admin(lab).info.pid
            try await lab.reload()
            try await Deadline.waitUntil("the new worker answers with the config's state") {
                let now = try await ActionCommandTests.admin(lab)
                return now.info.pid != before && now.server("be_web", "web1")?.admin.mode == .ready
            }
            let preview = try await BuiltProgram.run(["reapply", "--dry-run"] + socket, environment: environment)
            #expect(preview.status == 0, "\(preview.standardError)")
            #expect(preview.standardOutput.contains("reverted 2 manual change(s)"), "\(preview.standardOutput)")
            #expect(preview.standardOutput.contains("be_web/web1 drain → ready"))
            #expect(preview.standardOutput.contains("be_api/api2 weight 20 → 50"))
            #expect(!preview.standardOutput.contains("be_web/web3"))

            let done = try await BuiltProgram.run(["reapply", "--yes"] + socket, environment: environment)
            #expect(done.status == 0, "\(done.standardOutput)\n\(done.standardError)")
            let now = try await ActionCommandTests.admin(lab)
            #expect(now.server("be_web", "web1")?.admin.mode == .drain)
            #expect(now.server("be_api", "api2")?.weight == 20)
            #expect(now.server("be_web", "web3")?.admin.mode == .ready)
            // Real traffic confirms it: the drained server gets none of it, the others all of it.
            lab.resetCounts()
            let report = await TrafficGenerator.send(count: 60, to: "/be_web/", port: lab.frontendPort)
            #expect(report.statuses[200] == 60)
            #expect(lab.servedCounts(backend: "be_web")["web1"] ?? 0 == 0)
            #expect(lab.servedCounts(backend: "be_web").values.reduce(0, +) == 60)
            let again = try await BuiltProgram.run(["reapply", "--yes"] + socket, environment: environment)
            #expect(again.standardOutput.contains("no manual change was lost"), "\(again.standardOutput)")
        }
    }

    @Test func aBalancerNewToTheFleetIsToldWhatTheFleetCarriesAndGetsIt() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                try await Lab.with(.demo) { newcomer in
                    let environment = ActionCommandTests.environment(first)
                    let fleet = FleetActionCommandTests.sockets(first, second)
                    for arguments in [
                        ["drain", "be_web/web1", "--yes"], ["weight", "be_api/api2", "20", "--yes"],
                        ["drain", "be_web/web3", "--yes"],
                        ["ready", "be_web/web3"],  // undone on the fleet: not for the newcomer either
                    ] {
                        let result = try await BuiltProgram.run(arguments + fleet, environment: environment)
                        #expect(result.status == 0, "\(arguments): \(result.standardError)")
                    }
                    // A one-balancer change is that balancer's own, not the fleet's.
                    let own = try await BuiltProgram.run(
                        ["drain", "be_web/web4", "--yes", "--socket", first.adminSocket], environment: environment)
                    #expect(own.status == 0, "\(own.standardError)")

                    let all = fleet + ["--socket", newcomer.adminSocket]
                    let preview = try await BuiltProgram.run(["reapply", "--dry-run"] + all, environment: environment)
                    #expect(preview.status == 0, "\(preview.standardError)")
                    let out = preview.standardOutput
                    #expect(
                        out.contains(
                            "\(newcomer.adminSocket) is new to the fleet (no record of it in the audit log) and lacks 2 "
                                + "manual change(s) the other 2 balancers carry: be_web/web1 drain → ready, "
                                + "be_api/api2 weight 20 → 50"), "\(out)")
                    #expect(!out.contains("be_web/web3") && !out.contains("be_web/web4"), "\(out)")
                    #expect(out.components(separatedBy: "already as asked").count == 3)  // the two old ones

                    let done = try await BuiltProgram.run(["reapply", "--yes"] + all, environment: environment)
                    #expect(done.status == 0, "\(done.standardOutput)\n\(done.standardError)")
                    let now = try await ActionCommandTests.admin(newcomer)
                    #expect(now.server("be_web", "web1")?.admin.mode == .drain)
                    #expect(now.server("be_api", "api2")?.weight == 20)
                    #expect(now.server("be_web", "web3")?.admin.mode == .ready)
                    #expect(now.server("be_web", "web4")?.admin.mode == .ready)
                    newcomer.resetCounts()
                    let report = await TrafficGenerator.send(count: 60, to: "/be_web/", port: newcomer.frontendPort)
                    #expect(report.statuses[200] == 60)
                    #expect(newcomer.servedCounts(backend: "be_web")["web1"] ?? 0 == 0)
                    // Now it has records of its own: it is no longer new, and nothing is missing.
                    let again = try await BuiltProgram.run(["reapply", "--yes"] + all, environment: environment)
                    #expect(again.standardOutput.contains("no manual change was lost"), "\(again.standardOutput)")
                }
            }
        }
    }
}
