import Foundation
import HAProxyDriver
import SwitchboardTestSupport
import Testing

/// The programs Switchboard starts (`ssh`, the demo's `haproxy`) with `posix_spawn`: status, signals, reaping,
/// descriptors and working directory, on real processes.
@Suite("Child processes", .timeLimit(.minutes(1)))
struct ChildProcessTests {
    @Test func theExitCodeIsReportedAndTheChildIsReaped() async throws {
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "exit 3"])
        #expect(await child.waitForExit(timeout: .seconds(10)) == 3)
        #expect(!child.isRunning)
        // Reaped, not a zombie: the pid is gone.
        #expect(kill(child.pid, 0) != 0)
    }

    @Test func aSignalEndsItAndIsItsStatus() async throws {
        let child = try ChildProcess.spawn("/bin/sleep", arguments: ["30"])
        #expect(child.isRunning)
        child.send(SIGTERM)
        #expect(await child.waitForExit(timeout: .seconds(10)) == SIGTERM)
        child.send(SIGKILL)  // after the exit: nothing is sent to a pid that may be reused
    }

    @Test func itReadsNullWritesWhereToldAndRunsInTheDirectoryGiven() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outputPath = directory + "/out"
        let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        #expect(output >= 0)
        // A descriptor of ours that the child must not inherit.
        let secret = open("/dev/null", O_RDONLY)
        defer { close(secret) }
        let child = try ChildProcess.spawn(
            "/bin/sh", arguments: ["-c", "pwd; cat; ls /proc/self/fd | sort -n | tr '\\n' ' '"], output: output,
            directory: directory)
        close(output)
        #expect(await child.waitForExit(timeout: .seconds(10)) == 0)
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == URL(fileURLWithPath: directory).resolvingSymlinksInPath().path)
        // `cat` read /dev/null (nothing); only 0, 1, 2 and ls's own directory (3) were open, not our `secret`.
        let descriptors = lines.dropFirst().joined().split(separator: " ").compactMap { Int($0) }
        #expect(secret > 3)
        #expect(descriptors == [0, 1, 2, 3], "the child inherited more than its standard descriptors")
    }

    @Test func aMissingProgramIsAClearError() {
        #expect(throws: (any Error).self) {
            _ = try ChildProcess.spawn("/nonexistent/haproxy", arguments: [])
        }
    }
}
