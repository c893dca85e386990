import CSpawn
import Dispatch
import SwitchboardCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program Switchboard starts and keeps running past the call that starts it (`ssh` for one connection, the
/// demo's `haproxy`), started with `posix_spawn` and reaped as soon as it exits.
///
/// Foundation's `Process` did this before; the console binary no longer links Foundation (only
/// FoundationEssentials), and swift-subprocess scopes a child to a closure, which these long-lived children do
/// not fit. The child inherits the environment, has only descriptors 0–2 open (every other one is closed in it),
/// and reads /dev/null unless given its standard input.
public final class ChildProcess: Sendable {
    /// The child's pid.
    public let pid: Int32
    /// Its status once reaped: the exit code, or the signal that ended it (as Foundation's `terminationStatus`).
    private let reaped = Mutex<Int32?>(nil)

    private init(pid: Int32) { self.pid = pid }

    /// Starts `executable` with `arguments` (without argv[0]); `input`, `output` and `errors` are descriptors of
    /// this process that become the child's 0, 1 and 2 (nil: /dev/null), `directory` its working directory.
    public static func spawn(
        _ executable: String, arguments: [String], input: Int32? = nil, output: Int32? = nil, errors: Int32? = nil,
        directory: String? = nil
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (source, target) in [(input, Int32(0)), (output, 1), (errors, 2)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        cspawn_addclosefrom(&actions, 3)
        if let directory { cspawn_addchdir(&actions, directory) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling, whatever this process ignores or blocks.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw SwitchboardError(
                .missingProgram, "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        let child = ChildProcess(pid: pid)
        child.reapWhenItExits()
        return child
    }

    /// True until the child has exited (it is reaped as soon as it exits).
    public var isRunning: Bool { status == nil }

    /// The exit code, or the signal that ended the child; nil while it runs.
    public var status: Int32? { reaped.withLock { $0 } }

    /// Sends `signal` while the child runs. The child is reaped under the same lock, so its pid is never reused
    /// by another process while a signal is sent to it.
    public func send(_ signal: Int32) {
        reaped.withLock { reaped in
            if reaped == nil { kill(pid, signal) }
        }
    }

    /// Waits on a thread of its own (the child may run for hours) until the child exits, without reaping it,
    /// then reaps it under the lock: a process that ended is never left a zombie, and `send` never signals a
    /// reused pid.
    private func reapWhenItExits() {
        DispatchQueue(label: "switchboard.child.\(pid)").async { [self] in
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
            reaped.withLock { reaped in
                var raw: Int32 = 0
                let result = waitpid(pid, &raw, WNOHANG)
                // ECHILD: reaped elsewhere (a test binary's Foundation `Process` may wait for any child).
                reaped = result == pid ? Self.decode(raw) : -1
            }
        }
    }

    /// Waits until the child has exited or `timeout` has passed; returns its status, nil when still running.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return status
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : signal
    }
}
