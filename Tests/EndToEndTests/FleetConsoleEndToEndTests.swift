import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// The console on three real balancers (one reached over ssh through a real sshd), in tmux: the merged view,
/// drift made by hand on one node, one node stopped and restarted, one whose CLI slots are all taken.
@Suite("Fleet console end to end (tmux, three labs)", .serialized, .timeLimit(.minutes(4)))
struct FleetConsoleEndToEndTests {
    static func targetsFile(_ entries: [(String, String)], extra: String = "") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-fleet-\(UUID()).toml")
            .path
        var text = ""
        for (name, address) in entries { text += "[balancers.\(name)]\naddress = \"\(address)\"\n\(extra)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The console on three labs (lb1, lb2, lb3; audit log in the first lab's directory), once every balancer
    /// is live and every pool merged. Returns the tmux session and the targets file to remove.
    static func consoleOnThree(_ lab1: Lab, _ lab2: Lab, _ lab3: Lab) async throws -> (TmuxSession, String) {
        let targets = try targetsFile([("lb1", lab1.adminSocket), ("lb2", lab2.adminSocket), ("lb3", lab3.adminSocket)])
        let tmux = try TmuxSession.start(
            command: ConsoleEndToEndTests.command(
                "--targets \(targets) --interval 500ms --audit-log \(lab1.directory)/audit.jsonl"),
            width: 140, height: 40)
        do {
            try await tmux.waitForScreen("all three balancers live", timeout: .seconds(20)) {
                $0.contains("fleet · 3 balancers") && $0.components(separatedBy: " live").count >= 4
                    && row("web1", in: $0)?.components(separatedBy: "UP").count == 4
            }
        } catch {
            tmux.close()
            try? FileManager.default.removeItem(atPath: targets)
            throw error
        }
        return (tmux, targets)
    }

    /// web1 drained by the command line (audited in the lab's directory), then the console on that lab once it
    /// shows web1 in DRAIN. Returns the tmux session and the audit log's path.
    static func consoleWithWeb1Drained(_ lab: Lab) async throws -> (TmuxSession, String) {
        let audit = lab.directory + "/audit.jsonl"
        let drained = try await BuiltProgram.run([
            "drain", "be_web/web1", "--yes", "--socket", lab.adminSocket, "--audit-log", audit,
        ])
        #expect(drained.status == 0, "\(drained.standardError)")
        let tmux = try TmuxSession.start(
            command: ConsoleEndToEndTests.command("--socket \(lab.adminSocket) --interval 500ms --audit-log \(audit)"),
            width: 140, height: 40)
        do {
            try await tmux.waitForScreen("web1 in DRAIN", timeout: .seconds(10)) {
                row("web1", in: $0)?.contains("DRAIN") == true
            }
        } catch {
            tmux.close()
            throw error
        }
        return (tmux, audit)
    }

    /// ``consoleOnThree(_:_:_:)``, then `body`; the session and the targets file are cleaned up however it ends.
    static func withConsoleOnThree(
        _ lab1: Lab, _ lab2: Lab, _ lab3: Lab, _ body: (TmuxSession) async throws -> Void
    ) async throws {
        let (tmux, targets) = try await consoleOnThree(lab1, lab2, lab3)
        defer {
            tmux.close()
            try? FileManager.default.removeItem(atPath: targets)
        }
        try await body(tmux)
    }

    static func row(_ name: String, in screen: String) -> String? {
        screen.split(separator: "\n").first { $0.hasPrefix("   \(name) ") || $0.hasPrefix("  \(name) ") }.map(
            String.init)
    }

    @Test func threeBalancersMergedWithDriftAStoppedNodeAndItsRecovery() async throws {
        let ssh = try await SSHServer.start()
        defer { ssh.stop() }
        try await Lab.with(.demo) { lab1 in
            try await Lab.with(.demo) { lab2 in
                try await Lab.with(.demo) { lab3 in
                    let targets = try Self.targetsFile([
                        ("lb1", lab1.adminSocket), ("lb2", lab2.adminSocket),
                        ("lb3", "ssh://\(ssh.hostAlias)\(lab3.adminSocket)"),
                    ])
                    defer { try? FileManager.default.removeItem(atPath: targets) }
                    let tmux = try TmuxSession.start(
                        command: "SWITCHBOARD_SSH_COMMAND='\(ssh.sshCommand)' "
                            + ConsoleEndToEndTests.command("--targets \(targets) --interval 500ms"),
                        width: 140, height: 40)
                    defer { tmux.close() }
                    let first = try await tmux.waitForScreen(
                        "all three balancers live, every pool merged", timeout: .seconds(20)
                    ) {
                        $0.contains("fleet · 3 balancers") && $0.components(separatedBy: " live").count >= 4
                            && Self.row("web1", in: $0)?.components(separatedBy: "UP").count == 4
                            && Self.row("legacy2", in: $0)?.components(separatedBy: "DOWN").count == 4
                            && !$0.contains("differ")
                    }
                    for server in [
                        "web1", "web2", "web3", "web4", "web-bk1 (backup)", "api1", "api2", "api3", "legacy1",
                    ] {
                        #expect(Self.row(server, in: first)?.components(separatedBy: "UP").count == 4, "\(server)")
                    }
                    #expect(first.contains("lb3 2.6") || first.contains("lb3 3."))

                    // A weight changed by hand on lb2 (raw socket) is drift within two refreshes (2 × 500 ms).
                    let colleague = HAProxyDriver(
                        address: .unix(path: lab2.adminSocket), options: .init(session: .oneShot))
                    _ = try await colleague.execute(try RuntimeCommand.raw("set server be_web/web2 weight 40"))
                    let clock = ContinuousClock()
                    let changed = clock.now
                    let drifted = try await tmux.waitForScreen("web2 marked as drifted", timeout: .seconds(5)) {
                        Self.row("web2", in: $0)?.contains("≠ weight · lb2") == true
                    }
                    let seen = clock.now - changed
                    #expect(seen < .milliseconds(1_750), "drift appeared after \(seen)")
                    #expect(drifted.contains("1 server differs — on lb2"))
                    #expect(Self.row("web2", in: drifted)?.contains("100/40/100") == true)

                    // lb1 stops: only lb1 goes STALE; the others stay live and keys are answered.
                    await lab1.stopBalancer()
                    let stale = try await tmux.waitForScreen("lb1 stale, the others live", timeout: .seconds(8)) {
                        $0.contains("lb1 ") && $0.contains("STALE") && $0.components(separatedBy: " live").count == 3
                    }
                    #expect(stale.contains("!lb1"))
                    try tmux.send("/")
                    try tmux.type("api")
                    try tmux.send("Enter")
                    try await tmux.waitForScreen("the filter is answered while lb1 is down") {
                        $0.contains("api1") && !$0.contains("web1")
                    }
                    try tmux.send("Escape")
                    // lb1 comes back.
                    try await lab1.startBalancer()
                    try await tmux.waitForScreen("lb1 live again", timeout: .seconds(15)) {
                        $0.components(separatedBy: " live").count >= 4 && !$0.contains("!lb1")
                    }

                    // `b` focuses lb1 alone: the one-balancer view, with its ADDRESS column.
                    try tmux.send("b")
                    try await tmux.waitForScreen("lb1 alone") {
                        $0.contains("ADDRESS") && $0.contains("SWITCHBOARD  lb1")
                    }
                    try tmux.send("b")
                    try await tmux.waitForScreen("lb2 alone, with its own weight") {
                        $0.contains("SWITCHBOARD  lb2") && Self.row("web2", in: $0)?.contains("40/100") == true
                    }
                    try tmux.send("q")
                    let after = try await tmux.waitFor("DONE")
                    #expect(after.contains("EXIT=0"))
                }
            }
        }
    }

    @Test func aBalancerWithEveryCLISlotTakenTimesOutAlone() async throws {
        try await Lab.with(.demo) { lab1 in
            try await Lab.with(.demo) { hogged in
                let hog = try CLISlotHog(path: hogged.adminSocket, count: 10)
                defer { hog.release() }
                let clock = ContinuousClock()
                let started = clock.now
                let status = try await BuiltProgram.run([
                    "status", "--json", "--timeout", "1", "--socket", lab1.adminSocket, "--socket", hogged.adminSocket,
                ])
                let elapsed = clock.now - started
                #expect(status.status == 4, "\(status.standardError)")
                let document = try JSONDecoder().decode(
                    FleetStatusDocument.self, from: Data(status.standardOutput.utf8))
                #expect(document.balancers[0].backends.count == 3)
                #expect(document.balancers[1].error?.code == "timeout", "\(document.balancers[1])")
                #expect(elapsed < .seconds(4), "\(elapsed)")

                let targets = try Self.targetsFile(
                    [("lb1", lab1.adminSocket), ("busy", hogged.adminSocket)], extra: "timeout = 1")

                defer { try? FileManager.default.removeItem(atPath: targets) }
                let tmux = try TmuxSession.start(
                    command: ConsoleEndToEndTests.command("--targets \(targets) --interval 500ms"), width: 140,
                    height: 40)
                defer { tmux.close() }
                let screen = try await tmux.waitForScreen("lb1 live, busy without data", timeout: .seconds(10)) {
                    $0.contains("lb1 ") && $0.contains(" live") && $0.contains("busy NO DATA")
                }
                #expect(Self.row("web1", in: screen)?.contains("UP") == true)
                // A node that never answered is unknown on every row, not "missing".
                #expect(Self.row("web1", in: screen)?.contains("?") == true)
                #expect(!screen.contains("missing on busy"))
                // busy answers as soon as its slots are free.
                hog.release()
                try await tmux.waitForScreen("busy live once its slots are free", timeout: .seconds(10)) {
                    $0.components(separatedBy: " live").count >= 3
                }
                try tmux.send("q")
                #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
            }
        }
    }

    @Test func aFleetDrainWithANodeLostIsRolledBackOnTheOthersAndShownPerNode() async throws {
        try await Lab.with(.demo) { lab1 in
            try await Lab.with(.demo) { lab2 in
                try await Lab.with(.demo) { lab3 in
                    try await Self.withConsoleOnThree(lab1, lab2, lab3) { tmux in
                        try tmux.send("Down")
                        try tmux.send("d")
                        let preview = try await tmux.waitForScreen("the per-node preview") {
                            $0.contains("Confirm drain on 3 balancers")
                        }
                        #expect(preview.contains("fleet be_web: 12/12 → 9/12 active serving"))
                        #expect(preview.contains("lb3: set server be_web/web1 state drain"))
                        // lb3 goes away between the preview and the confirmation.
                        await lab3.stopBalancer()
                        try tmux.send("y")
                        let result = try await tmux.waitForScreen("the result table", timeout: .seconds(20)) {
                            $0.contains("Not done on every balancer")
                        }
                        #expect(result.contains("every balancer that had applied was rolled back"), "\(result)")
                        #expect(result.contains("↩ rolled-back") && result.contains("✗ unreachable"))
                        for lab in [lab1, lab2] {
                            let driver = HAProxyDriver(
                                address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
                            #expect(try await driver.snapshot().server("be_web", "web1")?.admin.mode == .ready)
                        }
                        try tmux.send("Escape")  // closes the table
                        try tmux.send("q")
                        #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
                    }
                }
            }
        }
    }

    @Test func undoInTheFleetViewPutsEachBalancerBackToItsOwnStates() async throws {
        try await Lab.with(.demo) { lab1 in
            try await Lab.with(.demo) { lab2 in
                try await Lab.with(.demo) { lab3 in
                    // Before: web2 is in MAINT on lb2 only (someone's earlier work there).
                    let colleague = HAProxyDriver(
                        address: .unix(path: lab2.adminSocket), options: .init(session: .oneShot))
                    _ = try await colleague.execute(try .raw("set server be_web/web2 state maint"))
                    try await Self.withConsoleOnThree(lab1, lab2, lab3) { tmux in
                        try tmux.send("Down")
                        try tmux.send("Down")
                        try await tmux.waitForScreen("web2 MAINT on lb2") {
                            Self.row("web2", in: $0)?.contains("MAINT") == true
                        }
                        try tmux.send("d")
                        try await tmux.waitForScreen("the per-node preview") {
                            $0.contains("Confirm drain on 3 balancers")
                        }
                        try tmux.send("y")
                        try await tmux.waitForScreen("the result table", timeout: .seconds(20)) {
                            $0.contains("verified on every balancer (3)")
                        }
                        try tmux.send("Escape")
                        // Right after a result the console reads every balancer again before it plans on them: u
                        // pressed once opens the preview when all three have answered.
                        try tmux.send("u")
                        let preview = try await tmux.waitForScreen("the undo preview per node", timeout: .seconds(20)) {
                            $0.contains("Apply undo on 3 balancers")
                        }
                        #expect(preview.contains("lb1: set server be_web/web2 state ready"), "\(preview)")
                        #expect(preview.contains("lb2: set server be_web/web2 state maint"), "\(preview)")
                        try tmux.send("y")
                        try await tmux.waitForScreen("the undo's result table", timeout: .seconds(20)) {
                            $0.contains("undo — verified on every balancer (3)")
                        }
                        for (lab, mode) in [(lab1, AdminMode.ready), (lab2, .maint), (lab3, .ready)] {
                            let driver = HAProxyDriver(
                                address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
                            #expect(try await driver.snapshot().server("be_web", "web2")?.admin.mode == mode)
                        }
                        try tmux.send("Escape")
                        try tmux.send("q")
                        #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
                    }
                }
            }
        }
    }

    @Test func readyWithARampStepsTheWeightBackOnTheRealBalancer() async throws {
        try await Lab.with(.demo) { lab in
            let (tmux, audit) = try await Self.consoleWithWeb1Drained(lab)
            defer { tmux.close() }
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            let full = try #require(try await driver.snapshot().server("be_web", "web1")?.weight)
            try tmux.send("Down")
            try tmux.send("e")
            try await tmux.waitForScreen("the ready confirmation") { $0.contains("r ramp 25/50/100%") }
            try tmux.send("r")
            var seen: [Int] = []  // web1's weights while READY, in order
            try await Deadline.waitUntil("the ramp reaches 100 %", timeout: .seconds(40), interval: .milliseconds(100))
            {
                guard let server = try await driver.snapshot().server("be_web", "web1"), server.admin.mode == .ready
                else { return false }
                if seen.last != server.weight { seen.append(server.weight) }
                return server.weight == full
            }
            #expect(seen == [full / 4, full / 2, full], "observed \(seen)")
            // Each of the three steps audited and verified (the outcomes; attempts have `"phase": "attempt"`).
            let outcomes = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.filter { $0["phase"] as? String != "attempt" }
            #expect(outcomes.suffix(3).map { $0["verified"] as? Bool } == [true, true, true])
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
        }
    }

    @Test func aFleetDrainThenMaintWaitsForTheSessionsOfEveryBalancer() async throws {
        try await Lab.with(.demo) { lab1 in
            try await Lab.with(.demo) { lab2 in
                try await Lab.with(.demo) { lab3 in
                    try await Self.withConsoleOnThree(lab1, lab2, lab3) { tmux in
                        func web1(_ lab: Lab) async throws -> Server? {
                            let driver = HAProxyDriver(
                                address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
                            return try await driver.snapshot().server("be_web", "web1")
                        }
                        // Slow requests hold sessions on lb1's web1 (bounded: 8 requests of 4 s).
                        let holding = Task {
                            await TrafficGenerator.send(
                                count: 8, to: "/be_web/slow-4000", port: lab1.frontendPort, concurrency: 8)
                        }
                        defer { holding.cancel() }
                        try await Deadline.waitUntil("web1 holds sessions on lb1", timeout: .seconds(5)) {
                            try await web1(lab1)?.sessions ?? 0 > 0
                        }
                        try tmux.send("Down")
                        try tmux.send("d")
                        try await tmux.waitForScreen("the per-node preview") {
                            $0.contains("W drain and watch every balancer")
                        }
                        try tmux.send("T")
                        try await tmux.waitForScreen("the timeout") { $0.contains("then MAINT on every one of them") }
                        try tmux.send("Enter")
                        try await Deadline.waitUntil("web1 drained on all three", timeout: .seconds(10)) {
                            for lab in [lab1, lab2, lab3] where try await web1(lab)?.admin.mode != .drain {
                                return false
                            }
                            return true
                        }
                        // lb2 and lb3 are empty at once, but MAINT waits for lb1's sessions.
                        let stillHeld = try await web1(lab1)?.sessions ?? 0
                        let early = try await web1(lab2)?.admin.mode
                        #expect(stillHeld > 0, "the 4 s requests should still be open right after the drain")
                        #expect(early == .drain, "MAINT sent while lb1 still had \(stillHeld) sessions")
                        do {
                            try await Deadline.waitUntil("web1 in MAINT on all three", timeout: .seconds(20)) {
                                for lab in [lab1, lab2, lab3] where try await web1(lab)?.admin.mode != .maint {
                                    return false
                                }
                                return true
                            }
                        } catch {
                            Issue.record("the console's screen then:\n\((try? tmux.screen()) ?? "")")
                            throw error
                        }
                        #expect(try await web1(lab1)?.sessions == 0)
                        _ = await holding.value
                        try tmux.send("Escape")
                        try tmux.send("q")
                        #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
                    }
                }
            }
        }
    }

    @Test func aReloadThatUndidAManualChangeIsNamedAndOneKeyPutsItBack() async throws {
        try await Lab.with(.demo) { lab in
            let (tmux, _) = try await Self.consoleWithWeb1Drained(lab)
            defer { tmux.close() }
            // The balancer reloads without a server-state file: the new worker has web1 READY again.
            try await lab.reload()
            let told = try await tmux.waitForScreen("the loss named", timeout: .seconds(15)) {
                $0.contains("reverted 1 manual change(s): be_web/web1 drain → ready")
            }
            #expect(told.contains("press P to re-apply"))
            try tmux.send("P")
            try await tmux.waitForScreen("the re-apply preview") {
                $0.contains("Re-apply what the reload undid") && $0.contains("send: set server be_web/web1 state drain")
            }
            try tmux.send("y")
            try await tmux.waitForScreen("re-applied and verified", timeout: .seconds(10)) {
                $0.contains("✓ reapply after reload") && Self.row("web1", in: $0)?.contains("DRAIN") == true
            }
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            #expect(try await driver.snapshot().server("be_web", "web1")?.admin.mode == .drain)
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
        }
    }

    @Test func failoverAndFailBackOnThreeBalancersInOneStepEach() async throws {
        try await Lab.with(.demo) { lab1 in
            try await Lab.with(.demo) { lab2 in
                try await Lab.with(.demo) { lab3 in
                    let labs = [lab1, lab2, lab3]
                    // Before the incident web2 is in DRAIN on lb2 only.
                    let colleague = HAProxyDriver(
                        address: .unix(path: lab2.adminSocket), options: .init(session: .oneShot))
                    _ = try await colleague.execute(try RuntimeCommand.raw("set server be_web/web2 state drain"))
                    try await Self.withConsoleOnThree(lab1, lab2, lab3) { tmux in
                        try tmux.send("F")  // on the first row, be_web
                        try await tmux.waitForScreen("the fleet failover preview") {
                            $0.contains("Confirm failover be_web on 3 balancers") && $0.contains("Type be_web")
                        }
                        try tmux.type("be_web")
                        try tmux.send("Enter")
                        try await tmux.waitForScreen("failed over everywhere", timeout: .seconds(20)) {
                            $0.contains("Done on every balancer")
                        }
                        for lab in labs {
                            let driver = HAProxyDriver(
                                address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
                            let actives = try await driver.snapshot().backend(named: "be_web")?.activeServers ?? []
                            #expect(actives.count == 4 && actives.allSatisfy { $0.admin.mode == .maint })
                        }
                        try tmux.send("Enter")  // any key closes the table (Esc then a letter would read as Alt-letter)
                        try await tmux.waitForScreen("the table closed, every node read again") {
                            !$0.contains("Done on every balancer")
                                && Self.row("web1", in: $0)?.components(separatedBy: "MAINT").count == 4
                        }
                        try tmux.send("B")
                        try await tmux.waitForScreen("the fleet fail back preview", timeout: .seconds(10)) {
                            $0.contains("fail back be_web on 3 balancers")
                        }
                        try tmux.send("y")
                        try await tmux.waitForScreen("failed back everywhere", timeout: .seconds(20)) {
                            $0.contains("Done on every balancer")
                        }
                        for lab in labs {
                            let driver = HAProxyDriver(
                                address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
                            let modes = (try await driver.snapshot().backend(named: "be_web")?.activeServers ?? []).map
                            {
                                "\($0.name) \($0.admin.mode.rawValue)"
                            }
                            // Each balancer gets back exactly what it recorded: web2 DRAIN on lb2 only.
                            #expect(
                                modes == [
                                    "web1 ready", lab === lab2 ? "web2 drain" : "web2 ready", "web3 ready",
                                    "web4 ready",
                                ])
                        }
                        try tmux.send("Escape")
                        try tmux.send("q")
                        #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
                    }
                }
            }
        }
    }
}
