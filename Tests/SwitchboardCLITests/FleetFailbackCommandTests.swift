import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// `switchboard failback --gradual` and `--ramp` on several real balancers: each one restored to its own record,
/// one server (or one weight step) at a time on all of them.
@Suite(.serialized) struct FleetFailbackCommandTests {
    static func failOver(_ sockets: [String], _ environment: [String: String]) async throws {
        let over = try await BuiltProgram.run(
            ["failover", "be_web", "--yes", "--confirm", "be_web"] + sockets, environment: environment)
        #expect(over.status == 0, "\(over.standardOutput)\n\(over.standardError)")
    }

    @Test func aGradualFailBackReturnsOneServerAtATimeOnEveryBalancer() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                let environment = ActionCommandTests.environment(first)
                let sockets = FleetActionCommandTests.sockets(first, second)
                let load = [DrillCommandTests.traffic(first), DrillCommandTests.traffic(second)]
                defer { for task in load { task.cancel() } }
                // Before the incident, web2 is in DRAIN on the second balancer only.
                let colleague = HAProxyDriver(
                    address: .unix(path: second.adminSocket), options: .init(session: .oneShot))
                _ = try await colleague.execute(try .raw("set server be_web/web2 state drain"))
                try await Self.failOver(sockets, environment)

                let back = try await BuiltProgram.run(
                    ["failback", "be_web", "--gradual", "--step-timeout", "15", "--yes"] + sockets,
                    environment: environment)
                #expect(back.status == 0, "\(back.standardOutput)\n\(back.standardError)")
                let out = back.standardOutput
                // Four steps, each one server on each balancer, each waited for on each balancer.
                #expect(out.contains("fail back be_web, step 4: the next server on each balancer"), "\(out)")
                #expect(!out.contains("step 5"))
                for name in ["web1", "web3", "web4"] {
                    for lab in [first, second] {
                        #expect(out.contains("\(lab.adminSocket): be_web/\(name) is UP and taking traffic"), "\(out)")
                    }
                }
                #expect(out.contains("\(second.adminSocket): be_web/web2 is back in its recorded DRAIN/MAINT"))
                #expect(out.contains("\(first.adminSocket): be_web/web2 is UP and taking traffic"))
                // The first step sends web1 only: web2 is still in MAINT when web1 is verified.
                let firstStep = try #require(out.components(separatedBy: "step 2").first)
                #expect(firstStep.contains("set server be_web/web1 state ready"))
                #expect(!firstStep.contains("be_web/web2 state"))
                for lab in [first, second] {
                    let modes =
                        try await ActionCommandTests.admin(lab).backend(named: "be_web")?.activeServers.map {
                            "\($0.name) \($0.admin.mode.rawValue)"
                        } ?? []
                    #expect(
                        modes == [
                            "web1 ready", lab === second ? "web2 drain" : "web2 ready", "web3 ready", "web4 ready",
                        ])
                }
                let again = try await BuiltProgram.run(
                    ["failback", "be_web", "--yes"] + sockets, environment: environment)
                #expect(again.standardOutput.components(separatedBy: "no failover of be_web on record").count == 3)
            }
        }
    }

    @Test func aRampedFailBackStepsTheReturningWeightsOnEveryBalancer() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                let environment = ActionCommandTests.environment(first)
                let sockets = FleetActionCommandTests.sockets(first, second)
                // On the second balancer web1 runs at weight 40 before the incident: it comes back to 40, in steps.
                let colleague = HAProxyDriver(
                    address: .unix(path: second.adminSocket), options: .init(session: .oneShot))
                _ = try await colleague.execute(try .raw("set server be_web/web1 weight 40"))
                let full = try #require(try await ActionCommandTests.admin(first).server("be_web", "web1")?.weight)
                try await Self.failOver(sockets, environment)

                let run = Task {
                    try await BuiltProgram.run(
                        ["failback", "be_web", "--ramp", "25,50,100", "--step", "1.5", "--yes"] + sockets,
                        environment: environment)
                }
                var seen: [Int] = []  // web1's weights on the first balancer while READY, in order
                var seenSecond: [Int] = []
                try await Deadline.waitUntil(
                    "the ramp reaches 100 %", timeout: .seconds(40), interval: .milliseconds(100)
                ) {
                    for (lab, log) in [(first, 0), (second, 1)] {
                        guard let server = try await ActionCommandTests.admin(lab).server("be_web", "web1"),
                            server.admin.mode == .ready
                        else { continue }
                        if log == 0, seen.last != server.weight { seen.append(server.weight) }
                        if log == 1, seenSecond.last != server.weight { seenSecond.append(server.weight) }
                    }
                    return seen.last == full && seenSecond.last == 40
                }
                let result = try await run.value
                #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
                #expect(seen == [full / 4, full / 2, full], "observed \(seen)")
                #expect(seenSecond == [10, 20, 40], "observed \(seenSecond)")
                #expect(result.standardOutput.contains("ramp: next step (50%) in 1.5 s"))
                for lab in [first, second] {
                    let servers = try await ActionCommandTests.admin(lab).backend(named: "be_web")?.activeServers ?? []
                    #expect(servers.allSatisfy { $0.admin.mode == .ready })
                }
                // Every server back as recorded: the records are gone.
                let again = try await BuiltProgram.run(
                    ["failback", "be_web", "--yes"] + sockets, environment: environment)
                #expect(again.standardOutput.components(separatedBy: "no failover of be_web on record").count == 3)
            }
        }
    }

    @Test func aRampedFailBackOnOneBalancerAndItsDryRun() async throws {
        try await Lab.with(.demo) { lab in
            let environment = ActionCommandTests.environment(lab)
            let socket = ["--socket", lab.adminSocket]
            try await Self.failOver(socket, environment)
            let dry = try await BuiltProgram.run(
                ["failback", "be_web", "--ramp", "50,100", "--dry-run"] + socket, environment: environment)
            #expect(dry.status == 0, "\(dry.standardError)")
            #expect(dry.standardOutput.contains("ramp: 4 server(s) return at weight 50% of the recorded weight"))
            #expect(dry.standardOutput.contains("ramp: then weight 100% after 10 s"))
            #expect(try await ActionCommandTests.admin(lab).server("be_web", "web1")?.admin.mode == .maint)

            let full = try #require(try await ActionCommandTests.admin(lab).server("be_web", "web1")?.weight)
            let back = try await BuiltProgram.run(
                ["failback", "be_web", "--ramp", "50,100", "--step", "1", "--yes"] + socket, environment: environment)
            #expect(back.status == 0, "\(back.standardOutput)\n\(back.standardError)")
            #expect(back.standardOutput.contains("set server be_web/web1 weight \(full / 2)"))
            #expect(back.standardOutput.contains("set server be_web/web1 weight \(full)"))
            let server = try #require(try await ActionCommandTests.admin(lab).server("be_web", "web1"))
            #expect(server.admin.mode == .ready && server.weight == full)
            let refused = try await BuiltProgram.run(
                ["failback", "be_web", "--ramp", "100,50"] + socket, environment: environment)
            #expect(refused.status == 64)
            #expect(refused.standardError.contains("--ramp must go up and end at 100"))
        }
    }
}
