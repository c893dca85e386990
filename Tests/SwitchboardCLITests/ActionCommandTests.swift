import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Synchronization
import Testing

/// The action commands of the built binary, as a runbook or script runs them.
@Suite("switchboard drain/ready/maint/weight/health/kill-sessions", .timeLimit(.minutes(2)))
struct ActionCommandTests {
    static func admin(_ lab: Lab) async throws -> BalancerSnapshot {
        let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
        return try await driver.snapshot()
    }

    static func environment(_ lab: Lab) -> [String: String] { ["XDG_STATE_HOME": lab.directory + "/state"] }

    static func records(_ lab: Lab) throws -> [AuditRecord] {
        let log = AuditLog(path: lab.directory + "/state/switchboard/audit.jsonl")
        let (records, unreadable) = try log.records()
        #expect(unreadable == 0)
        // Every attempt has its outcome record here (same id); tests read the outcomes.
        let outcomes = records.filter { !$0.isAttempt }
        #expect(Set(records.filter(\.isAttempt).compactMap(\.id)) == Set(outcomes.compactMap(\.id)))
        return outcomes
    }

    @Test func drainNeedsYesWithoutATerminalAndThenVerifiesAndAudits() async throws {
        try await Lab.with(.demo) { lab in
            let refused = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--socket", lab.adminSocket], environment: Self.environment(lab))
            #expect(refused.status == 65)
            #expect(refused.standardError.contains("add --yes; nothing was sent"))
            #expect(try await Self.admin(lab).server("be_web", "web1")?.admin.mode == .ready)
            #expect(try Self.records(lab).isEmpty)

            let done = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--socket", lab.adminSocket, "--yes"], environment: Self.environment(lab))
            #expect(done.status == 0, "\(done.standardError)")
            #expect(done.standardOutput.contains("send      set server be_web/web1 state drain"))
            #expect(done.standardOutput.contains("✓ drain be_web/web1 — verified"))
            #expect(try await Self.admin(lab).server("be_web", "web1")?.admin.mode == .drain)
            let records = try Self.records(lab)
            #expect(records.count == 1)
            #expect(records.first?.via == "cli" && records.first?.verified == true)
            #expect(records.first?.commands.map(\.command) == ["set server be_web/web1 state drain"])

            let ready = try await BuiltProgram.run(
                ["ready", "be_web/web1", "--socket", lab.adminSocket], environment: Self.environment(lab))
            #expect(ready.status == 0)  // adds capacity: no confirmation needed
            #expect(try Self.records(lab).count == 2)
        }
    }

    @Test func leavingABackendEmptyNeedsTheBackendNameTyped() async throws {
        try await Lab.with(.demo) { lab in
            try await Deadline.waitUntil("be_legacy/legacy2 (closed port) is DOWN", timeout: .seconds(6)) {
                try await Self.admin(lab).server("be_legacy", "legacy2")?.health == .down
            }
            let refused = try await BuiltProgram.run(
                ["maint", "be_legacy/legacy1", "--socket", lab.adminSocket, "--yes"], environment: Self.environment(lab)
            )
            #expect(refused.status == 65)
            #expect(refused.standardOutput.contains("WARNING   be_legacy would have NO server serving"))
            #expect(refused.standardError.contains("--confirm be_legacy"))
            #expect(try await Self.admin(lab).server("be_legacy", "legacy1")?.admin.mode == .ready)
            let confirmed = try await BuiltProgram.run(
                ["maint", "be_legacy/legacy1", "--socket", lab.adminSocket, "--yes", "--confirm", "be_legacy"],
                environment: Self.environment(lab))
            #expect(confirmed.status == 0, "\(confirmed.standardError)")
            #expect(try await Self.admin(lab).server("be_legacy", "legacy1")?.admin.mode == .maint)
        }
    }

    @Test func dryRunSendsNothingAndJSONDescribesThePlan() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(
                ["weight", "be_api/api1", "25%", "--socket", lab.adminSocket, "--dry-run", "--json"],
                environment: Self.environment(lab))
            #expect(result.status == 0)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            #expect(object["commands"] as? [String] == ["set server be_api/api1 weight 25"])
            #expect(object["dryRun"] as? Bool == true)
            #expect(object["verified"] == nil)
            #expect(try await Self.admin(lab).server("be_api", "api1")?.weight == 100)
            #expect(try Self.records(lab).isEmpty)
        }
    }

    @Test func refusalsAndBadInput() async throws {
        try await Lab.with(.demo) { lab in
            let user = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--socket", lab.userSocket, "--yes"], environment: Self.environment(lab))
            #expect(user.status == 77)
            #expect(
                user.standardOutput.contains(
                    "✗ drain be_web/web1 — HAProxy refused `set server be_web/web1 state drain`: permission denied"))
            #expect(try Self.records(lab).last?.verified == false)
            let unknown = try await BuiltProgram.run(["drain", "be_web/nope", "--socket", lab.adminSocket, "--yes"])
            #expect(unknown.status == 65)
            #expect(unknown.standardError.contains("no server 'nope' in backend be_web"))
            let weight = try await BuiltProgram.run([
                "weight", "be_web/web1", "300", "--socket", lab.adminSocket, "--yes",
            ])
            #expect(weight.status == 65)
            #expect(weight.standardError.contains("HAProxy accepts 0–256"))
            let agent = try await BuiltProgram.run([
                "agent", "be_web/web1", "down", "--socket", lab.adminSocket, "--yes",
            ])
            #expect(agent.status == 69)
            #expect(agent.standardError.contains("no agent check"))
        }
    }

    @Test func invalidNamesNeverReachTheSocket() async throws {
        let peer = try await FakePeer.start(.silent)
        for target in ["be_web/web1;disable frontend fe_main", "be web/web1", "be_web"] {
            let result = try await BuiltProgram.run(["drain", target, "--socket", peer.address, "--yes"])
            #expect(result.status == 65)
        }
        #expect(peer.connections == 0 && peer.receivedBytes == 0)
        await peer.stop()
    }

    @Test func everywhereListsWhatItTouches() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(
                ["drain", "api2", "--everywhere", "--socket", lab.adminSocket, "--yes"],
                environment: Self.environment(lab))
            #expect(result.status == 0)
            #expect(result.standardOutput.hasPrefix("drain: be_api/api2"))
        }
    }

    /// Killed as soon as it reports success: the record is already on disk (written and fsynced first).
    @Test func killedRightAfterAnActionLeavesItsRecord() async throws {
        try await Lab.with(.demo) { lab in
            let program = try RunningProgram(
                ["drain", "be_web/web2", "--socket", lab.adminSocket, "--yes", "--wait", "--wait-timeout", "30"],
                environment: Self.environment(lab))
            try await Deadline.waitUntil(
                "the command reports success", timeout: .seconds(10), interval: .milliseconds(5)
            ) {
                program.output.contains("✓ drain")
            }
            program.kill(SIGKILL)
            try await program.waitForExit()
            let records = try Self.records(lab)
            #expect(records.count == 1)
            #expect(
                records.first?.intent == "drain"
                    && records.first?.targets == [ServerID(backend: "be_web", name: "web2")])
        }
    }
}
