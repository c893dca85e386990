import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// The console as a person uses it: in tmux, against a real haproxy with real checks and traffic;
/// keys are sent and the screen is read back.
@Suite("Console end to end (tmux)", .serialized, .timeLimit(.minutes(3)))
struct ConsoleEndToEndTests {
    /// The console's command line inside tmux: exit status and terminal modes are printed afterwards so
    /// the test can check the terminal was restored.
    static func command(_ arguments: String, terminal: String = "TERM=tmux-256color LANG=C.UTF-8") -> String {
        let binary = BuiltProgram.switchboard.path
        return
            "env -u LINES -u COLUMNS \(terminal) SWIFT_BACKTRACE=interactive=no,output-to=stderr "
            + "'\(binary)' \(arguments); echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; echo DONE; sleep 60"
    }

    @Test func liveConsoleOnARealBalancer() async throws {
        try await Lab.with(.demo) { lab in
            let tmux = try TmuxSession.start(command: Self.command("--socket \(lab.adminSocket) --interval 500ms"))
            defer { tmux.close() }
            let first = try await tmux.waitForScreen("every backend is listed") {
                $0.contains("be_web") && $0.contains("be_api") && $0.contains("be_legacy") && $0.contains("ADMIN")
            }
            #expect(first.contains("web-bk1 (backup)"))
            #expect(first.contains("legacy2"))

            // An origin stops answering: its server turns DOWN on screen within the check interval
            // (fall 2 × inter 1 s, plus the time to the next check) plus one refresh.
            try await tmux.waitForScreen("be_web/web2 is UP after its first checks") {
                Self.row("web2", in: $0)?.contains(" UP            L7OK") == true
            }
            let clock = ContinuousClock()
            let stoppedAt = clock.now
            await lab.origin("be_web", "web2")?.stop()
            try await tmux.waitForScreen("be_web/web2 shows DOWN", timeout: .seconds(8)) {
                return Self.row("web2", in: $0)?.contains("DOWN") == true
            }
            // fall 2 checks 1 s apart (the first up to 1 s after the stop), plus one 500 ms refresh and its tick.
            let seen = clock.now - stoppedAt
            #expect(seen < .seconds(3) + .milliseconds(250), "DOWN appeared after \(seen)")
            #expect(Self.row("web2", in: try tmux.screen())?.contains("L4CON") == true)

            // `/` narrows the rows.
            try tmux.send("/")
            try tmux.type("api")
            try tmux.send("Enter")
            let filtered = try await tmux.waitForScreen("only be_api rows remain") {
                $0.contains("api1") && !$0.contains("web1") && !$0.contains("legacy1")
            }
            #expect(filtered.contains("3/11 servers"))
            try tmux.send("Escape")
            try await tmux.waitFor("web1")

            // Resizes redraw at once, down to the too-small notice and back.
            try tmux.resize(width: 80, height: 24)
            try await tmux.waitForScreen("the 80×24 layout") { screen in
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                return lines.first?.hasPrefix("SWITCHBOARD") == true && lines.allSatisfy { $0.count <= 80 }
                    && screen.contains("SESS")
            }
            try tmux.resize(width: 30, height: 8)
            try await tmux.waitFor("terminal too small")
            try tmux.resize(width: 120, height: 40)
            try await tmux.waitForScreen("the full layout again") { $0.contains("be_legacy") && $0.contains("ADDRESS") }

            // q exits 0 and the terminal is back in cooked mode.
            try tmux.send("q")
            let after = try await tmux.waitFor("DONE")
            #expect(after.contains("EXIT=0"))
            #expect(after.contains("icanon") && !after.contains("-icanon"))
            #expect(after.contains("echo") && !after.contains("-echo "))
        }
    }

    /// Issue 11: `I` marks an incident's start in the incident log beside the audit log, the header shows it,
    /// and `switchboard timeline --incident` finds it; `I` again ends it.
    @Test func theIncidentKeyMarksTheStartAndTheEndInTheIncidentLog() async throws {
        try await Lab.with(.demo) { lab in
            let audit = lab.directory + "/audit.jsonl"
            let tmux = try TmuxSession.start(
                command: Self.command("--socket \(lab.adminSocket) --interval 500ms --audit-log \(audit)"),
                width: 160, height: 40)
            defer { tmux.close() }
            try await tmux.waitFor("be_web")
            try tmux.send("I")
            try await tmux.waitFor("Start an incident")
            try tmux.type("checkout 503s")
            try tmux.send("Enter")
            // The footer's "started" line may already have given way to an event of the demo (legacy2 goes DOWN
            // about 10 s in, seen on 3.4), so the header and the record are what is checked.
            try await tmux.waitForScreen("the open incident in the header") {
                $0.contains("INCIDENT 0 min: checkout 503s")
            }
            let started = try String(contentsOfFile: lab.directory + "/incidents.jsonl", encoding: .utf8)
            #expect(started.split(separator: "\n").count == 1 && started.contains("\"phase\":\"start\""))
            let timeline = try await BuiltProgram.run(["timeline", "--incident", "--audit-log", audit])
            #expect(timeline.standardOutput.hasPrefix("# Incident timeline: checkout 503s"), "\(timeline)")
            #expect(timeline.standardOutput.contains("- **End:** still open"))
            try tmux.send("I")
            try await tmux.waitFor("End the incident")
            try tmux.send("y")
            // The header drops the incident; the footer's "ended after" line may already have given way to an
            // event of the demo (legacy2 goes DOWN about 10 s in), so the record is what is checked.
            try await tmux.waitForScreen("the incident ended") { !$0.contains("INCIDENT") }
            let incidents = try String(contentsOfFile: lab.directory + "/incidents.jsonl", encoding: .utf8)
            #expect(incidents.split(separator: "\n").count == 2 && incidents.contains("\"phase\":\"end\""))
            let ended = try await BuiltProgram.run(["timeline", "--incident", "--audit-log", audit])
            #expect(!ended.standardOutput.contains("still open"), "\(ended)")
            // The console read the balancer's counters at both marks: the failed requests are counted.
            #expect(ended.standardOutput.contains("- **Requests failed:** 0"), "\(ended)")
            try tmux.send("q")
            try await tmux.waitFor("EXIT=0")
        }
    }

    @Test func survivesARestartAndShowsStaleMeanwhile() async throws {
        try await Lab.with(.demo) { lab in
            let tmux = try TmuxSession.start(
                command: Self.command("--socket \(lab.adminSocket) --interval 500ms --timeout 0.5"))
            defer { tmux.close() }
            let oldPid = try await lab.workerPid()
            try await tmux.waitFor("pid \(oldPid)")
            await lab.stopBalancer()
            try await tmux.waitFor("STALE", timeout: .seconds(5))
            try tmux.send("j")  // keys are still answered while the socket is gone
            try tmux.send("?")
            try await tmux.waitFor("Help — keymap default", timeout: .seconds(2))
            try tmux.send("Escape")
            try await lab.startBalancer()
            let newPid = try await lab.workerPid()
            let clock = ContinuousClock()
            let answeringSince = clock.now
            try await tmux.waitForScreen("the new worker's pid and live data", timeout: .seconds(5)) {
                $0.contains("pid \(newPid)") && $0.contains("· live")
            }
            // Within two refresh intervals (2 × 0.5 s) of the socket answering again, plus one request deadline
            // (0.5 s: an attempt that connected while haproxy 3.4 was still starting waits it out — seen in CI),
            // plus capture latency.
            #expect(clock.now - answeringSince < .milliseconds(2000))
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
        }
    }

    @Test func followsAReload() async throws {
        try await Lab.with(.demo) { lab in
            let tmux = try TmuxSession.start(command: Self.command("--socket \(lab.adminSocket) --interval 500ms"))
            defer { tmux.close() }
            let oldPid = try await lab.workerPid()
            try await tmux.waitFor("pid \(oldPid)")
            try await lab.reload()
            let newPid = try await lab.workerPid()
            try await tmux.waitFor("pid \(newPid)", timeout: .seconds(3))
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
        }
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        try await Lab.with(.demo) { lab in
            let binary = BuiltProgram.switchboard.path
            let command =
                "env -u LINES -u COLUMNS TERM=tmux-256color LANG=C.UTF-8 sh -c 'echo $$ > \(lab.directory)/console.pid; exec \"\(binary)\" --socket \(lab.adminSocket)'; "
                + "echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon | tr '\\n' ' '; echo; echo DONE; sleep 60"
            let tmux = try TmuxSession.start(command: command)
            defer { tmux.close() }
            try await tmux.waitFor("be_web")
            let pidText = try String(contentsOfFile: lab.directory + "/console.pid", encoding: .utf8)
            let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
            kill(pid, SIGTERM)
            let after = try await tmux.waitFor("DONE")
            #expect(after.contains("EXIT=0"))
            #expect(after.contains("icanon") && !after.contains("-icanon"))
        }
    }

    /// Point 9: on a terminal without an alternate screen (vt100, linux) the last frame is cleared on quit;
    /// in the C locale the header is drawn in ASCII, one cell per character.
    @Test(arguments: ["vt100", "linux"])
    func quittingLeavesNoFrameBehind(term: String) async throws {
        try await Lab.with(.demo) { lab in
            let tmux = try TmuxSession.start(
                command: Self.command("--socket \(lab.adminSocket)", terminal: "TERM=\(term) LANG=C LC_ALL=C"))
            defer { tmux.close() }
            let screen = try await tmux.waitFor("be_web")
            #expect(screen.contains("refresh 1s | updated"), "\(screen)")
            #expect(!screen.contains("·"))
            try tmux.send("q")
            let after = try await tmux.waitFor("DONE")
            #expect(after.contains("EXIT=0"))
            #expect(!after.contains("SWITCHBOARD") && !after.contains("be_web"), "\(after)")
        }
    }

    @Test func drainWithConfirmationThenUndo() async throws {
        try await Lab.with(.demo) { lab in
            let audit = lab.directory + "/audit.jsonl"
            let tmux = try TmuxSession.start(
                command: Self.command("--socket \(lab.adminSocket) --interval 500ms --audit-log \(audit)"))
            defer { tmux.close() }
            try await tmux.waitForScreen("web1 is UP") { Self.row("web1", in: $0)?.contains(" UP ") == true }
            try tmux.send("j")  // be_web → web1
            try tmux.send("d")
            let dialog = try await tmux.waitFor("Confirm drain")
            #expect(dialog.contains("be_web: 4/4 active serving (weight 400) → 3/4 (weight 300)"))
            #expect(dialog.contains("send: set server be_web/web1 state drain"))
            try tmux.send("y")
            try await tmux.waitFor("✓ drain be_web/web1 — verified", timeout: .seconds(5))
            try await tmux.waitForScreen("web1 shows DRAIN") { Self.row("web1", in: $0)?.contains("DRAIN") == true }
            let admin = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            #expect(try await admin.snapshot().server("be_web", "web1")?.admin.mode == .drain)

            try tmux.send("u")
            try await tmux.waitFor("Apply undo")
            try tmux.send("Enter")
            try await tmux.waitFor("✓ undo be_web/web1 — verified", timeout: .seconds(5))
            try await tmux.waitForScreen("web1 is ready again") { Self.row("web1", in: $0)?.contains(" UP ") == true }
            #expect(try await admin.snapshot().server("be_web", "web1")?.admin.mode == .ready)

            try tmux.send("L")
            let log = try await tmux.waitFor("Audit log — 2 record(s)")
            #expect(log.contains("set server be_web/web1 state drain"))
            #expect(log.contains("set server be_web/web1 state ready"))
            try tmux.send("Escape", "q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
        }
    }

    @Test func failABackendOverAndBack() async throws {
        try await Lab.with(.demo) { lab in
            let audit = lab.directory + "/audit.jsonl"
            let tmux = try TmuxSession.start(
                command: Self.command("--socket \(lab.adminSocket) --interval 500ms --audit-log \(audit)"))
            defer { tmux.close() }
            try await tmux.waitForScreen("be_web's servers are UP") {
                Self.row("web4", in: $0)?.contains(" UP ") == true
            }
            try tmux.send("F")  // the first row is be_web
            // The whole dialog, not only its title (a capture can land between two lines being drawn).
            let preview = try await tmux.waitForScreen("the failover preview") {
                $0.contains("Confirm failover be_web to backups") && $0.contains("Type be_web")
            }
            #expect(preview.contains("send: set server be_web/web1 state maint"))
            try tmux.type("be_web")
            try tmux.send("Enter")
            try await tmux.waitFor("✓ failover be_web to backups", timeout: .seconds(5))
            try await tmux.waitForScreen("be_web runs on its backups") { screen in
                screen.split(separator: "\n").contains { $0.hasPrefix("▾ be_web") && $0.contains("BACKUPS") }
            }
            let admin = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            #expect(try await admin.snapshot().backend(named: "be_web")?.runsOnBackups == true)
            try tmux.send("v")
            try await tmux.waitFor("lost all active servers and runs on 2 backup(s)")
            try tmux.send("Escape")

            try tmux.send("B")
            try await tmux.waitFor("failback be_web")
            try tmux.send("Enter")
            try await tmux.waitFor("✓ failback be_web", timeout: .seconds(5))
            try await tmux.waitForScreen("be_web is back on its actives") {
                Self.row("web1", in: $0)?.contains(" UP ") == true
            }
            #expect(try await admin.snapshot().backend(named: "be_web")?.activeUp == 4)
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
            let timeline = try String(contentsOfFile: lab.directory + "/timeline.jsonl", encoding: .utf8)
            #expect(timeline.contains("running-on-backups"))
            #expect(timeline.contains("operator-action"))
        }
    }

    @Test func crashRestoresTheTerminal() async throws {
        let binary = BuiltProgram.switchboard.path
        let command =
            "env -u LINES -u COLUMNS TERM=tmux-256color LANG=C.UTF-8 SWITCHBOARD_TEST_CRASH_AFTER_DRAW=1 "
            + "SWIFT_BACKTRACE=enable=no '\(binary)' --socket /nonexistent.sock 2>/dev/null; echo EXIT=$?; "
            + "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; echo DONE; sleep 60"
        let tmux = try TmuxSession.start(command: command)
        defer { tmux.close() }
        let after = try await tmux.waitFor("DONE")
        #expect(!after.contains("EXIT=0"))  // it did crash
        #expect(after.contains("icanon") && !after.contains("-icanon"))
        #expect(after.contains("echo") && !after.contains("-echo"))
    }

    @Test func asciiWithoutUTF8AndNoColour() async throws {
        try await Lab.with(.demo) { lab in
            let binary = BuiltProgram.switchboard.path
            let command =
                "env -u LINES -u COLUMNS -u LC_ALL TERM=tmux-256color LANG=C NO_COLOR=1 '\(binary)' --socket \(lab.adminSocket); sleep 60"
            let tmux = try TmuxSession.start(command: command)
            defer { tmux.close() }
            let screen = try await tmux.waitFor("- be_web")
            #expect(!screen.contains("▾"))
            #expect(!screen.contains("█"))
            let coloured = try tmux.screenWithColours()
            // No foreground colours (SGR 30–37, 90–97, 38;5): reverse video and bold only.
            #expect(
                coloured.range(of: "\u{1B}\\[[0-9;]*(3[0-7]|9[0-7]|38;5;[0-9]+)m", options: .regularExpression) == nil)
            try tmux.send("q")
        }
    }

    @Test func badKeymapFailsBeforeTouchingTheTerminal() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "switchboard-bad-keymap-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.toml").path
        try "[[bind]]\nkeys = [\"q\"]\naction = \"explode\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession.start(command: Self.command("--socket /nonexistent.sock --keymap \(path)"))
        defer { tmux.close() }
        let screen = try await tmux.waitFor("DONE")
        #expect(screen.contains("keymap \(path), line 3: unknown action 'explode'"))
        #expect(screen.contains("EXIT=65"))
    }

    /// The screen line of a server row.
    static func row(_ server: String, in screen: String) -> String? {
        screen.split(separator: "\n").first { $0.hasPrefix("  \(server) ") }.map(String.init)
    }
}
