import Foundation
import SwitchboardTestSupport
import Testing

/// `switchboard demo` in tmux stops every process it started on each way out a person takes: closing the terminal
/// (SIGHUP) and `kill` (SIGTERM) while its console runs. Both used to leave it hanging with its haproxy labs up.
@Suite("Demo lifecycle (tmux, real haproxy)", .serialized, .timeLimit(.minutes(2)))
struct DemoLifecycleTests {
    /// The pids whose parent is `pid` (from /proc; the demo's haproxy masters and origins run in-process).
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { parent(of: $0) == pid }
    }

    static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// Alive and not a zombie.
    static func running(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
    }

    static func commandLine(_ pid: Int32) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "")
            .replacingOccurrences(of: "\0", with: " ")
    }

    /// Starts the two-balancer demo's console in tmux; returns the session, the demo's pid and its haproxy pids
    /// (masters and their workers), once both balancers are live.
    static func startDemo() async throws -> (TmuxSession, Int32, [Int32]) {
        let binary = BuiltProgram.switchboard.path
        let tmux = try TmuxSession.start(
            command: "env -u LINES -u COLUMNS TERM=tmux-256color LANG=C.UTF-8 sh -c 'exec \"\(binary)\" demo "
                + "--balancers 2 --rate 20'; echo EXIT=$?; echo DONE; sleep 60",
            width: 140, height: 40)
        do {
            try await tmux.waitForScreen("both demo balancers live", timeout: .seconds(30)) {
                $0.contains("fleet · 2 balancers") && $0.components(separatedBy: " live").count >= 3
            }
            let shell = Int32(try tmux.panePid())
            let demo = try #require(children(of: shell).first { commandLine($0).contains("demo --balancers 2") })
            let masters = children(of: demo).filter { commandLine($0).contains("haproxy") }
            let haproxy = masters + masters.flatMap { children(of: $0) }
            try #require(masters.count == 2, "the demo's haproxy masters: \(masters)")
            return (tmux, demo, haproxy)
        } catch {
            tmux.close()
            throw error
        }
    }

    /// Kills by pid whatever of the demo a failed test left (only while the pids are still the demo's).
    static func cleanUp(demo: Int32, haproxy: [Int32]) {
        if running(demo), commandLine(demo).contains("demo --balancers 2") { kill(demo, SIGKILL) }
        for pid in haproxy where running(pid) && commandLine(pid).contains("switchboard-lab-") { kill(pid, SIGKILL) }
    }

    @Test func closingTheTerminalStopsTheDemoAndItsBalancers() async throws {
        let (tmux, demo, haproxy) = try await Self.startDemo()
        defer {
            tmux.close()
            Self.cleanUp(demo: demo, haproxy: haproxy)
        }
        tmux.hangUp()
        try await Deadline.waitUntil("the demo and its haproxy processes gone", timeout: .seconds(20)) {
            !Self.running(demo) && haproxy.allSatisfy { !Self.running($0) }
        }
    }

    @Test func sigtermEndsTheDemoConsoleAndStopsItsBalancers() async throws {
        let (tmux, demo, haproxy) = try await Self.startDemo()
        defer {
            tmux.close()
            Self.cleanUp(demo: demo, haproxy: haproxy)
        }
        kill(demo, SIGTERM)
        let after = try await tmux.waitFor("DONE", timeout: .seconds(20))
        #expect(after.contains("EXIT=0"))
        #expect(after.contains("demo stopped"))
        #expect(haproxy.allSatisfy { !Self.running($0) })
    }
}
