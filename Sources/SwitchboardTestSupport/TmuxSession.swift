import Foundation
import SwitchboardCore
import Synchronization

/// A private tmux server running one command in a pane of a given size: keys are sent, the screen is
/// read back, exactly as a person would use the console. Each session has its own socket name and is
/// killed (only it) on ``close()``.
public final class TmuxSession: Sendable {
    /// The private server's socket name (`tmux -L NAME`).
    public let server: String
    /// The tmux server's pid and the pane's (a process-group leader), to stop exactly them on close.
    private let pids: Mutex<(server: Int32, pane: Int32)?> = Mutex(nil)

    private init(server: String) { self.server = server }

    /// Starts `command` (run by `sh -c`) in a detached session of `width`×`height`.
    public static func start(command: String, width: Int = 120, height: Int = 40) throws -> TmuxSession {
        guard let tmux = locate() else {
            throw SwitchboardError(
                .missingProgram,
                "tmux is not installed — apt-get install tmux (the console's end-to-end tests drive it)")
        }
        _ = tmux
        let session = TmuxSession(server: "switchboard-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try session.tmux(["new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", command])
        let ids = (try? session.tmux(["display-message", "-p", "-t", "main", "#{pid} #{pane_pid}"])) ?? ""
        let numbers = ids.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        if numbers.count == 2 { session.pids.withLock { $0 = (numbers[0], numbers[1]) } }
        return session
    }

    /// The pid of the pane's process (with `exec` in the command: the program itself).
    public func panePid() throws -> Int {
        guard let pid = pids.withLock({ $0?.1 }) else {
            throw SwitchboardError(.other, "tmux did not tell the pane's pid")
        }
        return Int(pid)
    }

    static func locate() -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"]
        where FileManager.default.isExecutableFile(atPath: directory + "/tmux") {
            return directory + "/tmux"
        }
        return nil
    }

    /// Runs one tmux client command and returns its output. posix_spawn + waitpid rather than
    /// Foundation.Process: the client forks the server and exits at once, and its output goes to a file,
    /// because the server would inherit (and hold open) a pipe.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "/\(server)-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The tmux server daemonizes from this client: it must not inherit (and keep open) the test
        // process' sockets, e.g. an origin's listener that a test closes to make the origin fail.
        Self.markDescriptorsCloseOnExec()
        let argv = [Self.locate() ?? "/usr/bin/tmux", "-L", server, "-f", "/dev/null"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        // The tmux server (and every pane under it) would inherit the calling thread's signal mask: a Swift
        // concurrency worker blocks nearly every signal, so a pane's shell never took the SIGHUP of a closed
        // terminal and `kill-server` waited for it for ever. Empty mask, default actions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        guard spawned == 0 else {
            throw SwitchboardError(.other, "cannot run tmux: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        guard exited && (status >> 8) & 0xff == 0 else {
            throw SwitchboardError(.other, "tmux \(arguments.first ?? "") failed: \(text)")
        }
        return text
    }

    static func markDescriptorsCloseOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// The screen as text.
    public func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "main"]) }

    /// The screen with colours (SGR escapes), for colour assertions.
    public func screenWithColours() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", "main"]) }

    /// Types keys (tmux key names: `Enter`, `Escape`, `Up`, `q`, `C-c`…).
    public func send(_ keys: String...) throws { try tmux(["send-keys", "-t", "main"] + keys) }

    /// Writes raw bytes to the pane's input, as a terminal would (mouse reports: `"\u{1b}[<0;10;5M"`).
    public func sendBytes(_ text: String) throws {
        try tmux(["send-keys", "-t", "main", "-H"] + text.utf8.map { String($0, radix: 16) })
    }

    /// Types literal text.
    public func type(_ text: String) throws { try tmux(["send-keys", "-t", "main", "-l", text]) }

    /// Resizes the window.
    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen satisfies `condition`; returns that screen.
    @discardableResult
    public func waitForScreen(
        _ what: String, timeout: Duration = .seconds(10), _ condition: @escaping (String) -> Bool
    ) async throws -> String {
        var last = ""
        do {
            try await Deadline.waitUntil(what, timeout: timeout, interval: .milliseconds(50)) {
                last = try self.screen()
                return condition(last)
            }
        } catch {
            throw SwitchboardError(.timeout, "timed out waiting until \(what); the screen was:\n\(last)")
        }
        return last
    }

    /// Waits until `text` is on screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await waitForScreen("'\(text)' is on screen", timeout: timeout) { $0.contains(text) }
    }

    /// Closes the terminal as a person closing the window does: the tmux server goes, the pane's terminal
    /// hangs up (SIGHUP to the program in it) — nothing is killed by pid. ``close()`` still cleans up after.
    public func hangUp() { _ = try? tmux(["kill-server"]) }

    /// Stops the session: `kill-server`, then — whatever that did — the pane's process group and the tmux
    /// server by the pids recorded at start, so a failed test never leaves a console running.
    public func close() {
        _ = try? tmux(["kill-server"])
        guard let recorded = pids.withLock({ $0 }), recorded.server > 1, recorded.pane > 1 else { return }
        // Only while they are still ours: the server's command line names this session's socket, and the
        // pane is its child.
        let cmdline = (try? String(contentsOfFile: "/proc/\(recorded.server)/cmdline", encoding: .utf8)) ?? ""
        guard cmdline.contains(server) else { return }
        let stat = (try? String(contentsOfFile: "/proc/\(recorded.pane)/stat", encoding: .utf8)) ?? ""
        let parent = stat.split(separator: ")").last?.split(separator: " ").dropFirst(1).first.flatMap { Int32($0) }
        if parent == recorded.server { _ = kill(-recorded.pane, SIGKILL) }
        _ = kill(recorded.server, SIGKILL)
    }
}
