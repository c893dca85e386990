import Foundation
import SwitchboardLab
import SwitchboardTestSupport
import Testing

@testable import SwitchboardLab

/// A lab whose owner died (crash, SIGKILL) is stopped by the next lab, by the pids in its directory.
@Suite("Orphaned labs", .timeLimit(.minutes(1)))
struct OrphanLabTests {
    @Test func aLabWhoseOwnerIsGoneIsStoppedByTheNextOne() async throws {
        let lab = try await Lab.start(.demo)
        let pid = lab.process.pid
        // Pretend the owner died: a pid that existed and is gone now.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        try "\(gone.processIdentifier)".write(toFile: lab.directory + "/owner.pid", atomically: true, encoding: .utf8)
        await Lab.reapOrphans()
        #expect(Lab.processes(runningConfig: lab.configPath).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: lab.directory))
        #expect(kill(pid, 0) != 0)
        await lab.stop()  // origins and agents (harmless for haproxy, already gone)
    }

    @Test func labsWithALiveOwnerAreLeftAlone() async throws {
        try await Lab.with(.demo) { lab in
            await Lab.reapOrphans()
            #expect(!Lab.processes(runningConfig: lab.configPath).isEmpty)
            let worker = try await lab.workerPid()
            #expect(worker > 0)
        }
    }
}
