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
            let again = try await BuiltProgram.run(["reapply", "--yes"] + socket, environment: environment)
            #expect(again.standardOutput.contains("no manual change was lost"), "\(again.standardOutput)")
        }
    }
}
