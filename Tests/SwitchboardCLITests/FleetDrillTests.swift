import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// `drill` on a fleet: two real haproxy balancers carrying be_web, drilled one at a time, each restored before the
/// next; planned on both before anything is injected; an abort on the first leaves the second untouched.
@Suite("drill on a fleet (two real balancers)", .serialized, .timeLimit(.minutes(4)))
struct FleetDrillTests {
    static func drill(_ labs: [Lab], _ extra: [String], state: String) async throws -> BuiltProgram.Result {
        try await BuiltProgram.run(
            ["drill", "be_web", "--yes", "--json"] + labs.flatMap { ["--socket", $0.adminSocket] } + extra,
            environment: ["XDG_STATE_HOME": state], timeout: .seconds(120))
    }

    static func records(_ state: String, on lab: Lab) throws -> [AuditRecord] {
        try AuditLog(path: state + "/switchboard/audit.jsonl").records().records.filter { $0.socket == lab.adminSocket }
    }

    /// lb2 is reached over ssh:// through a real sshd (throwaway keys, 127.0.0.1).
    @Test func bothBalancersAreDrilledInTurnAndRestored() async throws {
        let ssh = try await SSHServer.start()
        defer { ssh.stop() }
        try await Lab.with(.demo) { lb1 in
            try await Lab.with(.demo) { lb2 in
                for lab in [lb1, lb2] { try await DrillCommandTests.waitUntilAllUp(lab) }
                let traffic = [lb1, lb2].map(DrillCommandTests.traffic)
                defer { for task in traffic { task.cancel() } }
                let before = [try await DrillCommandTests.states(lb1), try await DrillCommandTests.states(lb2)]
                let remote = SSHTargetTests.address(lb2)
                let result = try await BuiltProgram.run(
                    [
                        "drill", "be_web", "--yes", "--json", "--socket", lb1.adminSocket, "--socket", remote,
                        "--within", "4s", "--duration", "5s",
                    ],
                    environment: ["XDG_STATE_HOME": lb1.directory, "SWITCHBOARD_SSH_COMMAND": ssh.sshCommand],
                    timeout: .seconds(120))
                #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
                let report = try JSONDecoder().decode(FleetDrillReport.self, from: Data(result.standardOutput.utf8))
                #expect(report.balancers.map(\.name) == [lb1.adminSocket, remote])
                #expect(report.balancers.allSatisfy { $0.report.result == .pass && $0.report.restored })
                #expect(report.notDrilled.isEmpty && report.result == "pass")
                #expect(DrillCommandTests.same(try await DrillCommandTests.states(lb1), before[0]))
                #expect(DrillCommandTests.same(try await DrillCommandTests.states(lb2), before[1]))
                // One at a time: lb2's injection was sent after lb1's restore was recorded.
                let records = try AuditLog(path: lb1.directory + "/switchboard/audit.jsonl").records().records
                let lb1Restored = try #require(
                    records.last { $0.socket == lb1.adminSocket && $0.intent.hasSuffix("restore") && !$0.isAttempt })
                let lb2Injected = try #require(
                    records.first { $0.socket != lb1.adminSocket && $0.intent.hasPrefix("drill be_web") })
                #expect(lb1Restored.time < lb2Injected.time)
                #expect(result.standardError.contains("one balancer at a time"))
            }
        }
    }

    @Test func anAbortOnTheFirstLeavesTheSecondUntouchedAndABackendMissingAnywhereRefusesAll() async throws {
        try await Lab.with(.demo) { lb1 in
            try await Lab.with(.demo) { lb2 in
                for lab in [lb1, lb2] { try await DrillCommandTests.waitUntilAllUp(lab) }
                await lb1.origin("be_web", "web-bk1")?.stop()
                await lb1.origin("be_web", "web-bk2")?.stop()
                try await Deadline.waitUntil("lb1's backups DOWN", timeout: .seconds(15)) {
                    try await ActionCommandTests.admin(lb1).backend(named: "be_web")!.backupUp == 0
                }
                let traffic = [lb1, lb2].map(DrillCommandTests.traffic)
                defer { for task in traffic { task.cancel() } }
                let result = try await Self.drill(
                    [lb1, lb2], ["--within", "20s", "--abort-no-server", "1s", "--min-serving", "0"],
                    state: lb1.directory)
                #expect(result.status == 2, "\(result.standardOutput)\(result.standardError)")
                let report = try JSONDecoder().decode(FleetDrillReport.self, from: Data(result.standardOutput.utf8))
                #expect(report.balancers.count == 1 && report.balancers[0].report.result == .aborted)
                #expect(report.balancers[0].report.restored)
                #expect(report.notDrilled == ["\(lb2.adminSocket) (after \(lb1.adminSocket)'s drill aborted)"])
                #expect(try Self.records(lb1.directory, on: lb2).isEmpty, "nothing was sent to lb2")

                try await Lab.with(.fixtures) { other in
                    let refused = try await Self.drill([lb2, other], [], state: lb2.directory)
                    #expect(refused.status == 65, "\(refused.standardError)")
                    #expect(refused.standardError.contains("no backend 'be_web'"), "\(refused.standardError)")
                    #expect(try Self.records(lb2.directory, on: lb2).isEmpty, "nothing was injected on lb2 either")
                }
            }
        }
    }
}
