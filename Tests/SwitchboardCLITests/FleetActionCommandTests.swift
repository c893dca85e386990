import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// One intent on several real balancers (issue 10; one of them over ssh://): verified on each, refused before sending when one cannot
/// take part, and rolled back everywhere — or kept, when asked — when one refuses.
@Suite("switchboard actions on several balancers", .timeLimit(.minutes(3)))
struct FleetActionCommandTests {
    /// `--socket` for each lab's admin socket.
    static func sockets(_ labs: Lab...) -> [String] { labs.flatMap { ["--socket", $0.adminSocket] } }

    static func mode(_ lab: Lab, _ server: String = "web1") async throws -> AdminMode? {
        try await ActionCommandTests.admin(lab).server("be_web", server)?.admin.mode
    }

    @Test func oneIntentIsVerifiedOnEveryBalancerAndAuditedUnderOneID() async throws {
        let ssh = try await SSHServer.start()
        defer { ssh.stop() }
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                try await Lab.with(.demo) { third in
                    let labs = [first, second, third]
                    var environment = ActionCommandTests.environment(first)
                    environment["SWITCHBOARD_SSH_COMMAND"] = ssh.sshCommand
                    // A unix socket, a TCP socket and one reached over ssh:// through a real sshd.
                    let sockets = [
                        "--socket", first.adminSocket, "--socket", second.adminTCPAddress, "--socket",
                        SSHTargetTests.address(third),
                    ]
                    let dry = try await BuiltProgram.run(
                        ["drain", "be_web/web1", "--dry-run"] + sockets, environment: environment)
                    #expect(dry.status == 0, "\(dry.standardError)")
                    #expect(
                        dry.standardOutput.contains("fleet be_web: 12/12 → 9/12 active serving"),
                        "\(dry.standardOutput)")
                    #expect(dry.standardOutput.contains("== \(first.adminSocket)"))
                    for lab in labs { #expect(try await Self.mode(lab) == .ready) }

                    let done = try await BuiltProgram.run(
                        ["drain", "be_web/web1", "--yes", "--json"] + sockets, environment: environment)
                    #expect(done.status == 0, "\(done.standardError)")
                    let document =
                        try JSONSerialization.jsonObject(with: Data(done.standardOutput.utf8)) as? [String: Any]
                    #expect(document?["result"] as? String == "verified")
                    let nodes = document?["nodes"] as? [[String: Any]] ?? []
                    #expect(nodes.map { $0["status"] as? String } == ["verified", "verified", "verified"])
                    for lab in labs {
                        #expect(try await Self.mode(lab) == .drain)
                        // Real traffic through each balancer's frontend avoids the drained server.
                        lab.resetCounts()
                        let report = await TrafficGenerator.send(count: 60, to: "/be_web/", port: lab.frontendPort)
                        #expect(report.statuses[200] == 60)
                        #expect(lab.servedCounts(backend: "be_web")["web1"] ?? 0 == 0)
                    }
                    let records = try ActionCommandTests.records(first)
                    let id = try #require(document?["intentID"] as? String)
                    #expect(records.filter { $0.intentID == id }.count == 3)  // one outcome per balancer
                    #expect(Set(records.filter { $0.intentID == id }.map(\.socket)).count == 3)
                }
            }
        }
    }

    @Test func aBalancerThatCannotTakePartStopsEverythingUnlessExcluded() async throws {
        try await Lab.with(.demo) { lab in
            let environment = ActionCommandTests.environment(lab)
            let gone = lab.directory + "/gone.sock"
            let refused = try await BuiltProgram.run(
                ["maint", "be_web/web2", "--yes", "--socket", lab.adminSocket, "--socket", gone],
                environment: environment)
            #expect(refused.status == 7, "\(refused.standardError)")
            #expect(refused.standardError.contains("refused before sending") && refused.standardError.contains(gone))
            #expect(try await Self.mode(lab, "web2") == .ready)  // nothing was sent to the one that answered
            #expect(try ActionCommandTests.records(lab).isEmpty)

            let excluded = try await BuiltProgram.run(
                ["maint", "be_web/web2", "--yes", "--socket", lab.adminSocket, "--socket", gone, "--exclude", gone],
                environment: environment)
            #expect(excluded.status == 0, "\(excluded.standardError)")
            #expect(excluded.standardOutput.contains("excluded (--exclude)"))
            #expect(try await Self.mode(lab, "web2") == .maint)
        }
    }

    @Test func aBalancerLostMidRunRollsTheOthersBackOrKeepsThemWhenAsked() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                try await Lab.with(.demo) { third in
                    let environment = ActionCommandTests.environment(first)
                    let sockets = Self.sockets(first, second, third)
                    // Serial with a pause: the first balancer applies, then the second goes away before its turn.
                    func losingTheSecond(_ extra: [String]) async throws -> BuiltProgram.Result {
                        let run = Task {
                            try await BuiltProgram.run(
                                ["drain", "be_web/web3", "--yes", "--serial", "--pause", "4"] + extra + sockets,
                                environment: environment)
                        }
                        try await Deadline.waitUntil("web3 drained on the first balancer") {
                            try await Self.mode(first, "web3") == .drain
                        }
                        await second.stopBalancer()
                        return try await run.value
                    }
                    let failed = try await losingTheSecond([])
                    #expect(failed.status == 5, "\(failed.standardOutput)\n\(failed.standardError)")
                    #expect(
                        failed.standardOutput.contains("rolled-back: rolled back, verified"), "\(failed.standardOutput)"
                    )
                    #expect(failed.standardOutput.contains("unreachable"))
                    // --serial --max-fail 0: the run stops at the first failure; the third balancer is never touched.
                    #expect(failed.standardOutput.contains("not-sent: not tried: the run stopped after 1 failure(s)"))
                    #expect(try await Self.mode(third, "web3") == .ready)
                    #expect(!failed.standardOutput.contains("every balancer verified"))
                    #expect(try await Self.mode(first, "web3") == .ready)
                    let rollback = try ActionCommandTests.records(first).filter { $0.intent.hasPrefix("rollback of") }
                    #expect(rollback.count == 1 && rollback[0].verified && rollback[0].intentID != nil)

                    try await second.startBalancer()
                    let kept = try await losingTheSecond(["--no-rollback"])
                    #expect(kept.status == 6, "\(kept.standardOutput)\n\(kept.standardError)")
                    #expect(
                        kept.standardOutput.contains(
                            "PARTLY APPLIED: the change is in place on \(first.adminSocket) only"))
                    #expect(try await Self.mode(first, "web3") == .drain)
                    #expect(try await Self.mode(third, "web3") == .ready)
                }
            }
        }
    }

    @Test func aSocketBelowAdminIsRefusedBeforeAnythingIsSent() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--yes", "--socket", lab.adminSocket, "--socket", lab.userSocket],
                environment: ActionCommandTests.environment(lab))
            #expect(result.status == 7, "\(result.standardError)")
            #expect(result.standardError.contains("socket level user: actions need admin"))
            #expect(try await Self.mode(lab) == .ready)
        }
    }

    @Test func aRampedReadyStepsTheWeightBackOnEveryBalancer() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                let environment = ActionCommandTests.environment(first)
                let sockets = ["--socket", first.adminSocket, "--socket", second.adminSocket]
                let drained = try await BuiltProgram.run(
                    ["drain", "be_web/web1", "--yes"] + sockets, environment: environment)
                #expect(drained.status == 0, "\(drained.standardError)")
                let full = try #require(
                    try await ActionCommandTests.admin(first).server("be_web", "web1")?.initialWeight)
                let run = Task {
                    try await BuiltProgram.run(
                        ["ready", "be_web/web1", "--ramp", "25,50,100", "--step", "1.5"] + sockets,
                        environment: environment)
                }
                var seen: [Int] = []  // the weights observed on the first balancer, in order, READY only
                try await Deadline.waitUntil(
                    "the ramp reaches 100 %", timeout: .seconds(30), interval: .milliseconds(100)
                ) {
                    guard let server = try await ActionCommandTests.admin(first).server("be_web", "web1"),
                        server.admin.mode == .ready
                    else { return false }
                    if seen.last != server.weight { seen.append(server.weight) }
                    return seen.count >= 3 && server.weight == full
                }
                let result = try await run.value
                #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
                #expect(seen == [full / 4, full / 2, full], "observed \(seen)")
                let other = try #require(try await ActionCommandTests.admin(second).server("be_web", "web1"))
                #expect(other.admin.mode == .ready && other.weight == full)
                #expect(result.standardOutput.contains("ramp: next step (50%) in 1.5 s"))
            }
        }
    }

    @Test func driftIsRepairedToTheMajorityOrToANamedBalancer() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                try await Lab.with(.demo) { third in
                    let environment = ActionCommandTests.environment(first)
                    let sockets = Self.sockets(first, second, third)
                    let full = try #require(try await ActionCommandTests.admin(first).server("be_web", "web2")?.weight)
                    let colleague = HAProxyDriver(
                        address: .unix(path: second.adminSocket), options: .init(session: .oneShot))
                    _ = try await colleague.execute(try .raw("set server be_web/web2 weight 7"))

                    let repaired = try await BuiltProgram.run(
                        ["make-consistent", "--yes"] + sockets, environment: environment)
                    #expect(repaired.status == 0, "\(repaired.standardOutput)\n\(repaired.standardError)")
                    #expect(
                        repaired.standardOutput.contains("1 server(s) differ; the others take the majority's state"))
                    #expect(repaired.standardOutput.contains("send      set server be_web/web2 weight \(full)"))
                    // The two balancers already at the majority state get nothing.
                    #expect(repaired.standardOutput.components(separatedBy: "already as asked").count == 3)
                    #expect(try await ActionCommandTests.admin(second).server("be_web", "web2")?.weight == full)

                    let lead = HAProxyDriver(address: .unix(path: first.adminSocket), options: .init(session: .oneShot))
                    _ = try await lead.execute(try .raw("set server be_web/web1 state drain"))
                    let followed = try await BuiltProgram.run(
                        ["make-consistent", "be_web", "--like", first.adminSocket, "--yes"] + sockets,
                        environment: environment)
                    #expect(followed.status == 0, "\(followed.standardOutput)\n\(followed.standardError)")
                    #expect(try await Self.mode(second) == .drain)
                    #expect(try await Self.mode(third) == .drain)
                    let again = try await BuiltProgram.run(
                        ["make-consistent", "--yes"] + sockets, environment: environment)
                    #expect(again.standardOutput.contains("no server differs"), "\(again.standardOutput)")
                }
            }
        }
    }

    @Test func failoverAndFailBackRestoreEachBalancersOwnStates() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                try await Lab.with(.demo) { third in
                    let environment = ActionCommandTests.environment(first)
                    let labs = [first, second, third]
                    let sockets = labs.flatMap { ["--socket", $0.adminSocket] }
                    // Before the incident, web2 is in DRAIN on the second balancer only.
                    let colleague = HAProxyDriver(
                        address: .unix(path: second.adminSocket), options: .init(session: .oneShot))
                    _ = try await colleague.execute(try .raw("set server be_web/web2 state drain"))

                    let over = try await BuiltProgram.run(
                        ["failover", "be_web", "--yes", "--confirm", "be_web"] + sockets, environment: environment)
                    #expect(over.status == 0, "\(over.standardOutput)\n\(over.standardError)")
                    #expect(
                        over.standardOutput.contains("fleet be_web: 11/12 → 0/12 active serving"),
                        "\(over.standardOutput)")
                    for lab in labs {
                        let servers =
                            try await ActionCommandTests.admin(lab).backend(named: "be_web")?.activeServers ?? []
                        #expect(servers.count == 4 && servers.allSatisfy { $0.admin.mode == .maint })
                    }

                    let back = try await BuiltProgram.run(
                        ["failback", "be_web", "--yes"] + sockets, environment: environment)
                    #expect(back.status == 0, "\(back.standardOutput)\n\(back.standardError)")
                    for lab in labs {
                        let servers =
                            try await ActionCommandTests.admin(lab).backend(named: "be_web")?.activeServers ?? []
                        let modes = servers.map { "\($0.name) \($0.admin.mode.rawValue)" }
                        let expected = [
                            "web1 ready", lab === second ? "web2 drain" : "web2 ready", "web3 ready", "web4 ready",
                        ]
                        #expect(modes == expected)
                    }
                    let again = try await BuiltProgram.run(
                        ["failback", "be_web", "--yes"] + sockets, environment: environment)
                    #expect(again.standardOutput.components(separatedBy: "no failover of be_web on record").count == 4)
                }
            }
        }
    }

    @Test func drainAndWaitThenMaintOnEveryBalancer() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                let sockets = ["--socket", first.adminSocket, "--socket", second.adminSocket]
                let result = try await BuiltProgram.run(
                    ["drain", "be_web/web4", "--wait", "--then-maint", "--yes", "--wait-timeout", "20"] + sockets,
                    environment: ActionCommandTests.environment(first))
                #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
                for lab in [first, second] {
                    #expect(result.standardOutput.contains("  \(lab.adminSocket)  waiting: 0 session(s) left"))
                    #expect(try await Self.mode(lab, "web4") == .maint)
                }
                #expect(result.standardOutput.contains("drained: 0 sessions observed on every balancer"))
                // MAINT came as its own fleet intent, after the drain's.
                let intents = Set(try ActionCommandTests.records(first).compactMap(\.intentID))
                #expect(intents.count == 2)
            }
        }
    }

    @Test func redistributeOnEveryBalancerEachOnItsOwnWeights() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                let sockets = ["--socket", first.adminSocket, "--socket", second.adminSocket]
                let result = try await BuiltProgram.run(
                    ["redistribute", "be_api", "--even", "all", "--yes"] + sockets,
                    environment: ActionCommandTests.environment(first))
                #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
                #expect(result.standardOutput.contains("every balancer verified"))
                for lab in [first, second] {
                    let weights =
                        try await ActionCommandTests.admin(lab).backend(named: "be_api")?.servers.map(\.weight) ?? []
                    #expect(weights.count == 3 && Set(weights).count == 1, "\(weights)")
                }
                let again = try await BuiltProgram.run(
                    ["redistribute", "be_api", "--even", "all", "--yes"] + sockets,
                    environment: ActionCommandTests.environment(first))
                #expect(again.status == 0 && again.standardOutput.contains("every balancer is already as asked"))
            }
        }
    }
}
