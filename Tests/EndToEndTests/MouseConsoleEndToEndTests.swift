import Foundation
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// The mouse as an operator uses it (issue 13), in tmux on the real demo balancer: SGR reports written to the
/// pane as a terminal writes them — a click selects, the wheel scrolls, a double click opens the detail, a
/// click on a footer hint runs it.
@Suite("Mouse end to end (tmux)", .serialized, .timeLimit(.minutes(2)))
struct MouseConsoleEndToEndTests {
    /// The position indicator of the status line (`7/14`): the selected row and the number of rows.
    static func position(_ screen: String) -> (row: Int, of: Int)? {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1,
            let match = lines[1].firstMatch(of: /(\d+)\/(\d+)\s*$/) ?? lines[1].firstMatch(of: /\s(\d+)\/(\d+)\s/),
            let row = Int(match.1), let count = Int(match.2)
        else { return nil }
        return (row, count)
    }

    /// The 0-based screen line showing server `name`.
    static func line(of name: String, in screen: String) -> Int? {
        screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  \(name) ") }
    }

    /// An SGR left press and release at the 0-based cell.
    static func click(x: Int, y: Int) -> String { "\u{1b}[<0;\(x + 1);\(y + 1)M\u{1b}[<0;\(x + 1);\(y + 1)m" }

    @Test func clicksTheWheelAndFooterHintsDriveTheConsole() async throws {
        try await Lab.with(.demo) { lab in
            // xterm-256color: the console asks for SGR reports, as in the terminals operators use.
            let tmux = try TmuxSession.start(
                command: ConsoleEndToEndTests.command(
                    "--socket \(lab.adminSocket) --interval 500ms --audit-log \(lab.directory)/audit.jsonl",
                    terminal: "TERM=xterm-256color LANG=C.UTF-8"),
                width: 120, height: 14)
            defer { tmux.close() }
            let first = try await tmux.waitForScreen("the list, taller than the screen") {
                $0.contains("web2") && Self.position($0)?.row == 1
            }
            let count = try #require(Self.position(first)?.of)
            let web2 = try #require(Self.line(of: "web2", in: first))
            // The list starts below the column titles (one header line at this height): the row under the click
            // is selected.
            let top = try #require(first.split(separator: "\n").firstIndex { $0.hasPrefix("NAME ") }) + 1
            try tmux.sendBytes(Self.click(x: 6, y: web2))
            try await tmux.waitForScreen("web2 selected by the click") { Self.position($0)?.row == web2 - top + 1 }

            // Two wheel steps down: six rows, as six presses of Down.
            try tmux.sendBytes("\u{1b}[<65;30;8M\u{1b}[<65;30;8M")
            let scrolled = try await tmux.waitForScreen("six rows further") {
                Self.position($0)?.row == min(count, web2 - top + 1 + 6)
            }

            // A double click on a server opens its detail.
            let target = try #require(
                ["api1", "api2", "api3", "legacy1"].first { Self.line(of: $0, in: scrolled) != nil })
            let y = try #require(Self.line(of: target, in: scrolled))
            try tmux.sendBytes(Self.click(x: 8, y: y) + Self.click(x: 8, y: y))
            try await tmux.waitFor("be_\(target.hasPrefix("api") ? "api" : "legacy")/\(target)")
            try tmux.send("Escape")
            // The footer's hints show once the event messages of the start (legacy2 DOWN) have gone.
            let closed = try await tmux.waitForScreen("the detail closed and the footer's hints", timeout: .seconds(20))
            {
                !$0.contains("/\(target) ") && $0.contains("? help")
            }

            // A click on the footer's "? help" hint is a press of ?.
            let lines = closed.split(separator: "\n", omittingEmptySubsequences: false)
            let footer = try #require(lines.count > 13 ? lines[13] : nil)
            let help = try #require(footer.range(of: "? help"))
            try tmux.sendBytes(Self.click(x: footer.distance(from: footer.startIndex, to: help.lowerBound), y: 13))
            try await tmux.waitFor("Help — keymap default")
            try tmux.send("Escape")
            try tmux.send("q")
            let done = try await tmux.waitFor("DONE")
            #expect(done.contains("EXIT=0"))
            #expect(done.contains("icanon") && done.contains("echo") && !done.contains("-icanon"))
        }
    }
}
