import CSpawn
import FoundationEssentials
import Glibc
import NIOCore
import NIOPosix
import SwitchboardCore
import Synchronization

/// How the driver reaches a socket on another host: the system `ssh` client (so `~/.ssh/config`, the agent,
/// `ProxyJump` and `known_hosts` apply) running a stdio bridge there — `socat`, or `nc -U` when socat is missing.
public struct SSHOptions: Sendable, Hashable {
    /// Replaces `ssh`, as git's `GIT_SSH_COMMAND` does: run by `/bin/sh` with ssh's arguments appended.
    /// Nil: `$SWITCHBOARD_SSH_COMMAND`, else `ssh`.
    public var command: String?
    /// Run the bridge under `sudo -n` on the remote host (for a socket only root or the haproxy group can open).
    public var sudo: Bool

    /// Makes options.
    public init(command: String? = nil, sudo: Bool = false) {
        self.command = command
        self.sudo = sudo
    }

    /// The command in force: the per-target one, `$SWITCHBOARD_SSH_COMMAND`, or `ssh`.
    public func resolvedCommand(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let command, !command.isEmpty { return command }
        if let fromEnvironment = environment["SWITCHBOARD_SSH_COMMAND"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "ssh"
    }
}

/// Builds the ssh command line and the remote bridge command.
enum SSHBridge {
    /// The shell command run on the remote host. The path was checked (no quotes, spaces or control characters).
    static func remoteCommand(path: String, sudo: Bool) -> String {
        let asRoot = sudo ? "sudo -n " : ""
        return "p='\(path)'; "
            + "if command -v socat >/dev/null 2>&1; then exec \(asRoot)socat STDIO \"UNIX-CONNECT:$p\"; "
            + "elif command -v nc >/dev/null 2>&1; then exec \(asRoot)nc -U \"$p\"; "
            + "else echo 'switchboard-bridge: neither socat nor nc is installed' >&2; exit 127; fi"
    }

    /// `/bin/sh -c '<command> "$@"' ssh -T -o BatchMode=yes -o ConnectTimeout=N [-p PORT] -- DEST REMOTE`.
    static func arguments(for target: SSHSocketAddress, options: SSHOptions, connectTimeout: TimeAmount) -> [String] {
        let seconds = max(1, Int((Double(connectTimeout.nanoseconds) / 1e9).rounded(.up)))
        var sshArguments = ["-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(seconds)"]
        if let port = target.port { sshArguments += ["-p", "\(port)"] }
        sshArguments += ["--", target.destination, remoteCommand(path: target.path, sudo: options.sudo)]
        return ["-c", options.resolvedCommand() + " \"$@\"", "switchboard-ssh"] + sshArguments
    }

    /// Starts ssh and hands its stdout (to read) and stdin (to write) to a NIO pipe channel.
    static func open(
        _ target: SSHSocketAddress, options: SSHOptions, timeout: TimeAmount, group: any EventLoopGroup,
        initializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> (any Channel, SSHProcess) {
        let process = try SSHProcess.launch(
            arguments: arguments(for: target, options: options, connectTimeout: timeout))
        do {
            let channel = try await NIOPipeBootstrap(group: group)
                .channelInitializer(initializer)
                .takingOwnershipOfDescriptors(input: process.takeOutput(), output: process.takeInput())
                .get()
            channel.closeFuture.whenComplete { _ in process.terminate() }
            return (channel, process)
        } catch {
            process.terminate()
            throw SwitchboardError(.other, "cannot run ssh for \(target): \(error)")
        }
    }

    /// One clear line for what ssh, the remote shell or the bridge wrote on stderr, or nil when it said nothing
    /// that Switchboard recognises.
    static func failure(stderr: String, status: Int32?, target: SSHSocketAddress) -> SwitchboardError? {
        let host = target.host
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }
        let last = lines.last(where: { !$0.isEmpty && !$0.hasPrefix("@") }) ?? ""
        let folded = stderr.lowercased()
        func has(_ needle: String) -> Bool { folded.contains(needle.lowercased()) }
        if has("REMOTE HOST IDENTIFICATION HAS CHANGED") || has("Host key for") && has("has changed") {
            return SwitchboardError(
                .sshHostKey,
                "ssh to \(host): the host key CHANGED from the one in known_hosts (a reinstalled host, or someone in "
                    + "between) — confirm the new key with the host's owner, then `ssh-keygen -R \(host)`; nothing was sent",
                cause: last)
        }
        if has("Host key verification failed") || has("No ED25519 host key is known") || has("host key is known") {
            return SwitchboardError(
                .sshHostKey,
                "ssh to \(host): its host key is not in known_hosts and BatchMode does not ask — run `ssh \(target.destination)` "
                    + "once to check and accept it; nothing was sent", cause: last)
        }
        if has("Permission denied (") {
            return SwitchboardError(
                .sshAuthentication,
                "ssh to \(target.destination): \(last.isEmpty ? "Permission denied" : last) — load the key in your agent "
                    + "(`ssh-add`), set IdentityFile in ~/.ssh/config, or give ssh_command in targets.toml; nothing was sent",
                cause: last)
        }
        if has("sudo:") && (has("password is required") || has("a terminal is required") || has("not allowed")) {
            return SwitchboardError(
                .sshAuthentication,
                "sudo -n on \(host) needs a NOPASSWD rule for socat (or turn sudo off for this target): \(last)",
                cause: last)
        }
        if has("switchboard-bridge: neither socat nor nc") {
            return SwitchboardError(
                .missingProgram,
                "\(host) has neither socat nor nc to reach the socket — install socat there (`apt-get install socat`)",
                cause: last)
        }
        if has("Could not resolve hostname") || has("Connection refused") && has("ssh:") || has("Connection timed out")
            || has("No route to host") || has("Network is unreachable") || has("Connection closed by")
        {
            return SwitchboardError(
                .sshUnreachable, "ssh cannot reach \(target.destination): \(last) — check the host, port and ProxyJump",
                cause: last)
        }
        if has("No such file or directory") {
            return SwitchboardError(
                .socketNotFound,
                "no socket \(target.path) on \(host) — is haproxy running there? Check its `stats socket` line",
                cause: last)
        }
        if has("Permission denied") {
            return SwitchboardError(
                .socketPermission,
                "socket \(target.path) on \(host): permission denied — add the ssh user to the socket's group "
                    + "(often haproxy), or set sudo = true for this target", cause: last)
        }
        if has("Connection refused") {
            return SwitchboardError(
                .connectionRefused,
                "socket \(target.path) on \(host) refused the connection — haproxy is not running there or is restarting",
                cause: last)
        }
        if let status, status != 0 {
            return SwitchboardError(
                .connectionRefused,
                "ssh to \(target.destination) ended with status \(status)" + (last.isEmpty ? "" : ": \(last)"),
                cause: last)
        }
        return nil
    }
}

/// The running `ssh` process of one connection. Killed when the connection closes or times out.
final class SSHProcess: Sendable {
    private let child: ChildProcess
    /// ssh's stdin (write end) and stdout (read end), until handed over or closed.
    private let ends: Mutex<(input: Int32, output: Int32)>
    /// An unlinked temporary file holding what ssh wrote on stderr.
    private let errors: Int32

    private init(child: ChildProcess, input: Int32, output: Int32, errors: Int32) {
        self.child = child
        self.ends = Mutex((input, output))
        self.errors = errors
    }

    static func launch(arguments: [String]) throws -> SSHProcess {
        var stdin: [Int32] = [-1, -1]
        var stdout: [Int32] = [-1, -1]
        guard cspawn_pipe_cloexec(&stdin) == 0 else { throw pipeFailure() }
        guard cspawn_pipe_cloexec(&stdout) == 0 else {
            close(stdin[0]); close(stdin[1])
            throw pipeFailure()
        }
        // ssh's stderr goes to an unlinked temporary file: read only when something went wrong, never blocks.
        let directory = FileManager.default.temporaryDirectory.path
        let path = directory + "/switchboard-ssh-\(UUID().uuidString).err"
        let errors = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard errors >= 0 else {
            [stdin[0], stdin[1], stdout[0], stdout[1]].forEach { close($0) }
            throw SwitchboardError(.other, "cannot create a temporary file for ssh's messages in \(directory)")
        }
        unlink(path)
        defer {
            close(stdin[0])
            close(stdout[1])
        }
        do {
            let child = try ChildProcess.spawn(
                "/bin/sh", arguments: arguments, input: stdin[0], output: stdout[1], errors: errors)
            return SSHProcess(child: child, input: stdin[1], output: stdout[0], errors: errors)
        } catch {
            [stdin[1], stdout[0], errors].forEach { close($0) }
            throw SwitchboardError(.missingProgram, "cannot start /bin/sh to run ssh: \(error)")
        }
    }

    private static func pipeFailure() -> SwitchboardError {
        SwitchboardError(.other, "cannot make a pipe to ssh: \(String(cString: strerror(errno)))")
    }

    /// The write end of ssh's stdin, handed over once.
    func takeInput() -> Int32 {
        ends.withLock { ends in
            defer { ends.input = -1 }; return ends.input
        }
    }
    /// The read end of ssh's stdout, handed over once.
    func takeOutput() -> Int32 {
        ends.withLock { ends in
            defer { ends.output = -1 }; return ends.output
        }
    }

    /// Stops ssh (SIGTERM; ``ChildProcess`` reaps it when it exits).
    func terminate() {
        ends.withLock { ends in
            if ends.input >= 0 { close(ends.input); ends.input = -1 }
            if ends.output >= 0 { close(ends.output); ends.output = -1 }
        }
        child.send(SIGTERM)
    }

    /// Waits up to `seconds` for ssh to exit; returns its status and what it wrote on stderr.
    func outcome(waitingUpTo seconds: Double) async -> (status: Int32?, stderr: String) {
        let status = await child.waitForExit(timeout: .milliseconds(Int(seconds * 1000)))
        var bytes = [UInt8](repeating: 0, count: 65_536)
        let read = bytes.withUnsafeMutableBytes { pread(errors, $0.baseAddress, $0.count, 0) }
        return (status, String(decoding: bytes.prefix(max(0, read)), as: UTF8.self))
    }

    deinit { close(errors) }
}
