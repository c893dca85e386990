import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Synchronization
import Testing

/// Issue 8 on the built binary and a real haproxy: unwritable logs, kills in the send window, progress
/// through a pipe.
@Suite("Safe while the world moves (command line)", .timeLimit(.minutes(3)))
struct SafetyCommandTests {
    /// Defect 4: the change was applied, then the log failed. Now nothing is sent, exit 73.
    @Test(arguments: ["/dev/full", "DIRECTORY", "MISSING/audit.jsonl"])
    func anUnwritableAuditLogRefusesBeforeSending(_ kind: String) async throws {
        try await Lab.with(.demo) { lab in
            let path =
                kind == "DIRECTORY"
                ? lab.directory : kind.hasPrefix("MISSING") ? lab.directory + "/no-such-dir/audit.jsonl" : kind
            let result = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--socket", lab.adminSocket, "--yes", "--audit-log", path])
            #expect(result.status == 73, "\(result.standardError)")
            #expect(result.standardError.contains("AUDIT LOG NOT WRITTEN"))
            #expect(!result.standardOutput.contains("✓"))
            #expect(try await ActionCommandTests.admin(lab).server("be_web", "web1")?.admin.mode == .ready)
        }
    }

    /// Defect 3: a SIGKILL between send and audit left a DRAIN with no record. Swept over the send window:
    /// whenever the server ends up DRAIN, an attempt record naming it is on file.
    @Test func aKillAnywhereInTheSendWindowLeavesAnAttemptForEveryAppliedChange() async throws {
        try await Lab.with(.demo) { lab in
            let log = AuditLog(path: lab.directory + "/state/switchboard/audit.jsonl")
            let reset = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            var applied = 0
            for delay in stride(from: 0, through: 150, by: 5) {
                let program = try RunningProgram(
                    ["drain", "be_web/web1", "--socket", lab.adminSocket, "--yes"],
                    environment: ActionCommandTests.environment(lab))
                // The kill time is the swept parameter, not a wait for a condition.
                try await Task.sleep(for: .milliseconds(delay))
                program.kill(SIGKILL)
                try await program.waitForExit()
                let drained = try await reset.snapshot().server("be_web", "web1")?.admin.mode == .drain
                if drained {
                    applied += 1
                    let attempts = try log.records().records.filter {
                        $0.isAttempt && $0.targets == [ServerID(backend: "be_web", name: "web1")]
                    }
                    #expect(
                        attempts.count >= applied, "killed at \(delay) ms: DRAIN applied with no attempt on record")
                    _ = try await reset.execute(try .raw("set server be_web/web1 state ready"))
                }
            }
            #expect(applied > 0, "no kill landed after the send: the sweep did not cover the window")
        }
    }

    /// An attempt whose outcome never came (a kill between send and outcome) is shown to the next run.
    @Test func anAttemptWithoutOutcomeIsShownAsOutcomeUnknown() async throws {
        try await Lab.with(.demo) { lab in
            let log = AuditLog(path: lab.directory + "/state/switchboard/audit.jsonl")
            var attempt = AuditRecord(
                time: AuditRecord.timestamp(Date()), user: "oncall", host: "bastion", via: "cli",
                balancer: .init(product: "HAProxy", version: "2.6", pid: 1, node: "lb1"), socket: lab.adminSocket,
                intent: "drain", targets: [ServerID(backend: "be_web", name: "web3")], warnings: [], commands: [],
                before: [], after: [],
                verified: false, outcome: "attempt", error: nil, dryRun: false)
            attempt.id = "killed-1"
            attempt.phase = "attempt"
            attempt.planned = ["set server be_web/web3 state drain"]
            try log.append(attempt)
            let next = try await BuiltProgram.run(
                ["maint", "be_legacy/legacy1", "--socket", lab.adminSocket, "--dry-run"],
                environment: ActionCommandTests.environment(lab))
            #expect(next.status == 0)
            #expect(next.standardError.contains("outcome unknown — check the balancer"))
            #expect(next.standardError.contains("about to send: set server be_web/web3 state drain"))
        }
    }

    /// Defect 8: progress lines of `drain --wait` appear while it runs, through a pipe.
    @Test func progressLinesArriveThroughAPipeBeforeExit() async throws {
        try await Lab.with(.demo) { lab in
            let holding = Task {
                await TrafficGenerator.send(
                    count: 8, to: "/be_web/slow-6000", port: lab.frontendPort, concurrency: 8)
            }
            try await Deadline.waitUntil("web1 holds a session", timeout: .seconds(5)) {
                try await ActionCommandTests.admin(lab).server("be_web", "web1")?.sessions ?? 0 > 0
            }
            let program = try RunningProgram(
                ["drain", "be_web/web1", "--socket", lab.adminSocket, "--yes", "--wait", "--wait-timeout", "20"],
                environment: ActionCommandTests.environment(lab))
            try await Deadline.waitUntil("a waiting line while the command runs", timeout: .seconds(8)) {
                program.output.contains("waiting: ") && program.output.contains("✓ drain")
            }
            #expect(program.isRunning, "the lines must arrive before exit: \(program.output)")
            #expect(program.output.contains("send      set server be_web/web1 state drain"))
            program.kill()
            try await program.waitForExit()
            _ = await holding.value
        }
    }
}

/// Defect 2: `drain --wait` claimed 0 sessions right after a reload while the old worker still served
/// them, and set MAINT; without a server-state file the new worker had lost the DRAIN.
@Suite("drain --wait across a reload", .timeLimit(.minutes(2)))
struct DrainWaitReloadTests {
    static func spec(stateFile: Bool) -> LabSpec {
        var spec = LabSpec.demo
        spec.hardStopAfterSeconds = 30  // the old worker may live while its sessions finish
        spec.serverStateFile = stateFile
        return spec
    }

    @Test(arguments: [false, true])
    func theWaitFollowsTheReloadAndCountsTheOldWorker(stateFile: Bool) async throws {
        try await Lab.with(Self.spec(stateFile: stateFile)) { lab in
            try await Deadline.waitUntil("be_web is UP", timeout: .seconds(6)) {
                try await ActionCommandTests.admin(lab).backend(named: "be_web")?.servers.prefix(4)
                    .allSatisfy { $0.status.text == "UP" } == true
            }
            let holding = Task {
                await TrafficGenerator.send(count: 8, to: "/be_web/slow-4000", port: lab.frontendPort, concurrency: 8)
            }
            try await Deadline.waitUntil("web1 holds sessions", timeout: .seconds(5)) {
                try await ActionCommandTests.admin(lab).server("be_web", "web1")?.sessions ?? 0 > 0
            }
            let program = try RunningProgram(
                [
                    "drain", "be_web/web1", "--socket", lab.adminSocket, "--yes", "--wait", "--then-maint",
                    "--wait-timeout", "30", "--master-socket", lab.masterSocket,
                ], environment: ActionCommandTests.environment(lab), mergeErrors: true)
            try await Deadline.waitUntil("the wait runs", timeout: .seconds(8)) { program.output.contains("waiting: ") }
            try await lab.reload()
            try await program.waitForExit(timeout: .seconds(25))
            let report = await holding.value
            let lines = program.output.split(separator: "\n").map(String.init)
            #expect(program.status == 0, "\(program.output)")
            #expect(lines.contains { $0.hasPrefix("reload: worker pid") }, "\(program.output)")
            let lost = lines.contains { $0.contains("the reload lost the DRAIN of be_web/web1") }
            #expect(lost == !stateFile, "\(program.output)")
            #expect(lines.filter { $0.contains("✓ drain be_web/web1") }.count == (stateFile ? 1 : 2))
            // The old worker's sessions were counted, and MAINT waited for them.
            #expect(
                lines.contains { $0.range(of: #"[1-9][0-9]* on old worker"#, options: .regularExpression) != nil },
                "\(program.output)")
            let maint = try #require(lines.firstIndex { $0.contains("✓ maint be_web/web1") }, "\(program.output)")
            let lastWait = try #require(lines[..<maint].last { $0.hasPrefix("waiting: ") })
            #expect(lastWait.contains("0 session(s) left") && lastWait.contains("old workers done"), "\(lastWait)")
            #expect(report.statuses[200] == 8, "held requests were cut: \(report.statuses)")
            #expect(try await ActionCommandTests.admin(lab).server("be_web", "web1")?.admin.mode == .maint)
        }
    }

    @Test func withoutTheMasterSocketAnOldWorkersSessionsAreNeverClaimedZero() async throws {
        try await Lab.with(Self.spec(stateFile: true)) { lab in
            try await Deadline.waitUntil("be_web is UP", timeout: .seconds(6)) {
                try await ActionCommandTests.admin(lab).server("be_web", "web1")?.status.text == "UP"
            }
            let holding = Task {
                await TrafficGenerator.send(count: 8, to: "/be_web/slow-3000", port: lab.frontendPort, concurrency: 8)
            }
            try await Deadline.waitUntil("web1 holds sessions", timeout: .seconds(5)) {
                try await ActionCommandTests.admin(lab).server("be_web", "web1")?.sessions ?? 0 > 0
            }
            let run = Task {
                try await BuiltProgram.run(
                    [
                        "drain", "be_web/web1", "--socket", lab.adminSocket, "--yes", "--wait", "--then-maint",
                        "--wait-timeout", "20",
                    ], environment: ActionCommandTests.environment(lab))
            }
            try await Deadline.waitUntil("web1 is DRAIN", timeout: .seconds(5)) {
                try await ActionCommandTests.admin(lab).server("be_web", "web1")?.admin.mode == .drain
            }
            try await lab.reload()
            let result = try await run.value
            _ = await holding.value
            #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput.contains("not claiming 0"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("old worker exited"), "\(result.standardOutput)")
        }
    }
}

/// Point 9: bad input gets the exit code that fits, before anything is sent or the terminal is touched.
@Suite("Small refusals", .timeLimit(.minutes(1)))
struct SmallRefusalTests {
    @Test func negativeAndSpacedWeightsAreRefusedWithTheRange() async throws {
        let negative = try await BuiltProgram.run(["weight", "be_web/web1", "-1", "--socket", "/nonexistent.sock"])
        #expect(negative.status == 65, "\(negative.standardError)")
        #expect(negative.standardError.contains("weight -1 is out of range"))
        let spaced = try await BuiltProgram.run(["weight", "be_web/web1", " 50", "--socket", "/nonexistent.sock"])
        #expect(spaced.status == 65)
        #expect(spaced.standardError.contains("is not a weight"))
    }

    /// Runs the console under `script` (a real pseudo-terminal) with `TERM` set as given.
    static func console(term: String?) async throws -> BuiltProgram.Result {
        let command = "\(BuiltProgram.switchboard.path) --socket /nonexistent.sock"
        var environment = ["SHELL": "/bin/sh"]
        environment["TERM"] = term ?? ""
        return try await BuiltProgram.run(
            ["-qec", term == nil ? "unset TERM; " + command : command, "/dev/null"],
            executable: URL(fileURLWithPath: "/usr/bin/script"), environment: environment, timeout: .seconds(10))
    }

    @Test(arguments: [nil, "no-such-terminal", "dumb"] as [String?])
    func unusableTerminalsAreRefusedWithOneLine(term: String?) async throws {
        let result = try await Self.console(term: term)
        #expect(result.status == 78, "\(result.standardOutput)")
        let expected =
            switch term {
            case nil: "TERM is not set"
            case "dumb": "TERM=dumb cannot move the cursor"
            default: "TERM=no-such-terminal is unknown to terminfo"
            }
        #expect(result.standardOutput.contains(expected), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("Error opening terminal"))
    }

    @Test func withoutATerminalTheConsoleSaysSoWithItsOwnCode() async throws {
        let result = try await BuiltProgram.run(["--socket", "/nonexistent.sock"])
        #expect(result.status == 78)
        #expect(result.standardError.contains("the console needs a terminal"))
    }
}
