import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// `drain --wait --then-maint` on two real balancers with sessions held open on both, one reloaded during the
/// wait: each node's own master socket counts its old worker's sessions, and MAINT goes out only when every node
/// was observed empty.
@Suite("drain --wait on several balancers, with master sockets", .timeLimit(.minutes(2)))
struct FleetDrainWaitTests {
    static let spec: LabSpec = {
        var spec = LabSpec.demo
        spec.hardStopAfterSeconds = 30  // the old worker lives while its sessions finish
        spec.serverStateFile = true
        return spec
    }()

    /// The output lines of the wait on `lab`.
    static func waits(_ output: String, _ lab: Lab) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  \(lab.adminSocket)  waiting: ") }
    }

    @Test func heldSessionsAndAnOldWorkerAreWaitedForOnEveryBalancerBeforeMaint() async throws {
        try await Lab.with(Self.spec) { first in
            try await Lab.with(Self.spec) { second in
                let labs = [first, second]
                for lab in labs {
                    try await Deadline.waitUntil("be_web/web1 UP", timeout: .seconds(6)) {
                        try await ActionCommandTests.admin(lab).server("be_web", "web1")?.status.text == "UP"
                    }
                }
                // Held sessions on both: 8 slow requests each (3 s and 4.5 s; the generator gives up at 5 s), spread over be_web's four servers.
                let holding = zip(labs, [3000, 4500]).map { lab, milliseconds in
                    Task {
                        await TrafficGenerator.send(
                            count: 8, to: "/be_web/slow-\(milliseconds)", port: lab.frontendPort, concurrency: 8)
                    }
                }
                for lab in labs {
                    try await Deadline.waitUntil("web1 holds sessions", timeout: .seconds(5)) {
                        try await ActionCommandTests.admin(lab).server("be_web", "web1")?.sessions ?? 0 > 0
                    }
                }
                let program = try RunningProgram(
                    [
                        "drain", "be_web/web1", "--socket", first.adminSocket, "--socket", second.adminSocket,
                        "--master-socket", first.masterSocket, "--master-socket", second.masterSocket, "--yes",
                        "--wait", "--then-maint", "--wait-timeout", "30",
                    ], environment: ActionCommandTests.environment(first), mergeErrors: true)
                try await Deadline.waitUntil("both waits run", timeout: .seconds(8)) {
                    !Self.waits(program.output, first).isEmpty && !Self.waits(program.output, second).isEmpty
                }
                try await second.reload()
                try await program.waitForExit(timeout: .seconds(30))
                let reports = await [holding[0].value, holding[1].value]
                let output = program.output
                #expect(program.status == 0, "\(output)")
                // Sessions were seen open on each node before they were seen closed.
                for lab in labs {
                    let waits = Self.waits(output, lab)
                    #expect(
                        waits.contains {
                            $0.range(of: #"waiting: [1-9][0-9]* session"#, options: .regularExpression) != nil
                        },
                        "\(output)")
                    #expect(waits.last?.contains("waiting: 0 session(s) left") == true, "\(output)")
                }
                // The reloaded node's old worker was counted through its master socket, then seen done.
                let second = Self.waits(output, second)
                #expect(
                    second.contains { $0.range(of: #"[1-9][0-9]* on old worker"#, options: .regularExpression) != nil },
                    "\(output)")
                #expect(second.last?.contains("old workers done") == true, "\(output)")
                // MAINT only after every node was observed empty.
                let lines = output.split(separator: "\n").map(String.init)
                let drained = try #require(
                    lines.firstIndex { $0.contains("drained: 0 sessions observed on every balancer") }, "\(output)")
                let lastWait = try #require(lines.lastIndex { $0.contains("  waiting: ") })
                #expect(lastWait < drained)
                #expect(
                    lines[drained...].contains { $0.contains("send      set server be_web/web1 state maint") },
                    "\(output)")
                for (lab, report) in zip(labs, reports) {
                    #expect(
                        report.statuses[200] == 8, "held requests were cut on \(lab.adminSocket): \(report.statuses)")
                    #expect(try await FleetActionCommandTests.mode(lab) == .maint)
                }
            }
        }
    }

    /// A targets file's `master_socket`, a bare path on an ssh:// balancer: the old worker is counted through the
    /// same ssh (a real sshd on 127.0.0.1).
    @Test func aTargetsFilesMasterSocketIsReachedOverSSH() async throws {
        let ssh = try await SSHServer.start()
        defer { ssh.stop() }
        try await Lab.with(Self.spec) { lab in
            try await Deadline.waitUntil("be_web/web1 UP", timeout: .seconds(6)) {
                try await ActionCommandTests.admin(lab).server("be_web", "web1")?.status.text == "UP"
            }
            let targets = lab.directory + "/targets.toml"
            try """
            [balancers.remote]
            address = "\(SSHTargetTests.address(lab))"
            master_socket = "\(lab.masterSocket)"
            """.write(toFile: targets, atomically: true, encoding: .utf8)
            var environment = ActionCommandTests.environment(lab)
            environment["SWITCHBOARD_SSH_COMMAND"] = ssh.sshCommand
            let holding = Task {
                await TrafficGenerator.send(count: 8, to: "/be_web/slow-3500", port: lab.frontendPort, concurrency: 8)
            }
            try await Deadline.waitUntil("web1 holds sessions", timeout: .seconds(5)) {
                try await ActionCommandTests.admin(lab).server("be_web", "web1")?.sessions ?? 0 > 0
            }
            let program = try RunningProgram(
                [
                    "drain", "be_web/web1", "--targets", targets, "--target", "remote", "--yes", "--wait",
                    "--then-maint", "--wait-timeout", "30",
                ], environment: environment, mergeErrors: true)
            try await Deadline.waitUntil("the wait runs", timeout: .seconds(8)) { program.output.contains("waiting: ") }
            try await lab.reload()
            try await program.waitForExit(timeout: .seconds(30))
            _ = await holding.value
            #expect(program.status == 0, "\(program.output)")
            #expect(
                program.output.range(of: #"[1-9][0-9]* on old worker"#, options: .regularExpression) != nil,
                "\(program.output)")
            #expect(program.output.contains("old workers done"), "\(program.output)")
            #expect(try await FleetActionCommandTests.mode(lab) == .maint)
        }
    }

    @Test func masterSocketsMustMatchTheBalancersOneForOne() async throws {
        let result = try await BuiltProgram.run([
            "drain", "be_web/web1", "--socket", "/nonexistent/a.sock", "--socket", "/nonexistent/b.sock",
            "--master-socket", "/nonexistent/master.sock", "--yes", "--wait",
        ])
        #expect(result.status == 65, "\(result.standardError)")
        #expect(result.standardError.contains("1 --master-socket for 2 balancer(s)"), "\(result.standardError)")
        #expect(result.standardError.contains("nothing was sent"))
        let withoutWait = try await BuiltProgram.run([
            "drain", "be_web/web1", "--socket", "/nonexistent/a.sock", "--master-socket", "/nonexistent/m.sock",
        ])
        #expect(withoutWait.status == 64 && withoutWait.standardError.contains("--master-socket is for --wait"))
    }
}
