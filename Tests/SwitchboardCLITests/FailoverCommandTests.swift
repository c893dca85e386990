import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// `switchboard failover`, `failback` and `redistribute` as a runbook runs them.
@Suite("switchboard failover/failback/redistribute", .timeLimit(.minutes(2)))
struct FailoverCommandTests {
    @Test func failoverThenFailbackFromTheCommandLine() async throws {
        try await Lab.with(.demo) { lab in
            let environment = ActionCommandTests.environment(lab)
            _ = try await BuiltProgram.run(
                ["drain", "be_web/web3", "--socket", lab.adminSocket, "--yes"], environment: environment)
            let refused = try await BuiltProgram.run(
                ["failover", "be_web", "--socket", lab.adminSocket, "--yes"], environment: environment)
            #expect(refused.status == 65)
            #expect(refused.standardError.contains("--confirm be_web"))
            let over = try await BuiltProgram.run(
                ["failover", "be_web", "--socket", lab.adminSocket, "--yes", "--confirm", "be_web", "--mode", "drain"],
                environment: environment)
            #expect(over.status == 0, "\(over.standardError)")
            #expect(over.standardOutput.contains("✓ failover be_web to backups"))
            #expect(over.standardOutput.contains("now on web-bk1, web-bk2"))
            #expect(try await ActionCommandTests.admin(lab).backend(named: "be_web")?.runsOnBackups == true)
            let store = FailoverStore(besides: AuditLog(path: lab.directory + "/state/switchboard/audit.jsonl"))
            #expect(try store.all().count == 1)

            let back = try await BuiltProgram.run(
                ["failback", "be_web", "--socket", lab.adminSocket, "--json"], environment: environment)
            #expect(back.status == 0, "\(back.standardError)")
            let restored = try await ActionCommandTests.admin(lab)
            #expect(restored.server("be_web", "web1")?.admin.mode == .ready)
            #expect(restored.server("be_web", "web3")?.admin.mode == .drain)  // as before the failover
            #expect(try store.all().isEmpty)
            let again = try await BuiltProgram.run(
                ["failback", "be_web", "--socket", lab.adminSocket], environment: environment)
            #expect(again.status == 65)
            #expect(again.standardError.contains("no failover of be_web"))
        }
    }

    /// Defect 5 for fail back: a server someone changed after the failover is left alone (and named), the
    /// record is kept, and `--include` restores it on purpose.
    @Test func failbackLeavesAloneWhatAColleagueChangedSince() async throws {
        try await Lab.with(.demo) { lab in
            let environment = ActionCommandTests.environment(lab)
            let over = try await BuiltProgram.run(
                ["failover", "be_web", "--socket", lab.adminSocket, "--yes", "--confirm", "be_web"],
                environment: environment)
            #expect(over.status == 0, "\(over.standardError)")
            let colleague = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            _ = try await colleague.execute(try .raw("set server be_web/web2 weight 10"))
            let back = try await BuiltProgram.run(
                ["failback", "be_web", "--socket", lab.adminSocket], environment: environment)
            #expect(back.status == 0, "\(back.standardError)")
            #expect(back.standardOutput.contains("be_web/web2 changed since by someone else (weight 100 → 10)"))
            #expect(back.standardOutput.contains("--include web2"))
            var now = try await ActionCommandTests.admin(lab)
            #expect(now.server("be_web", "web1")?.admin.mode == .ready)
            #expect(now.server("be_web", "web2")?.admin.mode == .maint && now.server("be_web", "web2")?.weight == 10)
            let store = FailoverStore(besides: AuditLog(path: lab.directory + "/state/switchboard/audit.jsonl"))
            #expect(try store.all().count == 1)  // kept for what was left alone

            let included = try await BuiltProgram.run(
                ["failback", "be_web", "--include", "web2", "--socket", lab.adminSocket], environment: environment)
            #expect(included.status == 0, "\(included.standardError)")
            now = try await ActionCommandTests.admin(lab)
            #expect(now.server("be_web", "web2")?.admin.mode == .ready && now.server("be_web", "web2")?.weight == 100)
            #expect(try store.all().isEmpty)
        }
    }

    @Test func failoverWithoutBackupsNeedsKeep() async throws {
        try await Lab.with(.demo) { lab in
            let refused = try await BuiltProgram.run(["failover", "be_api", "--socket", lab.adminSocket, "--yes"])
            #expect(refused.status == 69)
            #expect(refused.standardError.contains("--keep"))
            let kept = try await BuiltProgram.run(
                ["failover", "be_api", "--keep", "api1,api2", "--socket", lab.adminSocket, "--yes"],
                environment: ActionCommandTests.environment(lab))
            #expect(kept.status == 0, "\(kept.standardError)")
            #expect(try await ActionCommandTests.admin(lab).server("be_api", "api3")?.admin.mode == .maint)
        }
    }

    @Test func redistributePreviewsSharesAndApplies() async throws {
        try await Lab.with(.demo) { lab in
            let dry = try await BuiltProgram.run(
                [
                    "redistribute", "be_api", "--move", "30", "--from", "api1", "--to", "api3", "--socket",
                    lab.adminSocket, "--dry-run",
                ])
            #expect(dry.status == 0)
            #expect(dry.standardOutput.contains("62.5% →  32.5%"))
            #expect(dry.standardOutput.contains("dry run: nothing was sent"))
            let even = try await BuiltProgram.run(
                ["redistribute", "be_api", "--even", "all", "--socket", lab.adminSocket, "--yes"],
                environment: ActionCommandTests.environment(lab))
            #expect(even.status == 0, "\(even.standardError)")
            #expect(
                try await ActionCommandTests.admin(lab).backend(named: "be_api")?.servers.map(\.weight) == [
                    100, 100, 100,
                ])
            let bad = try await BuiltProgram.run([
                "redistribute", "be_api", "--even", "all", "--by-capacity", "--socket", lab.adminSocket,
            ])
            #expect(bad.status == 64)
            try await Deadline.waitUntil("be_legacy/legacy2 is DOWN", timeout: .seconds(6)) {
                try await ActionCommandTests.admin(lab).server("be_legacy", "legacy2")?.health == .down
            }
            let down = try await BuiltProgram.run(
                ["redistribute", "be_legacy", "--even", "legacy2", "--socket", lab.adminSocket, "--yes"])
            #expect(down.status == 69)
            #expect(down.standardError.contains("cannot take traffic"))
        }
    }
}
