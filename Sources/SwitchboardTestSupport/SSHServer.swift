import Foundation
import SwitchboardLab

/// A real OpenSSH `sshd` on 127.0.0.1 for tests: a free port, a generated host key and a throwaway client key
/// in a temp dir, and an ssh client config (`ssh -F`) that trusts exactly that host key. Stopped by its pid.
///
/// ```swift
/// let server = try await SSHServer.start()
/// defer { server.stop() }
/// // SWITCHBOARD_SSH_COMMAND = server.sshCommand; address ssh://switchboard-test/path/admin.sock
/// ```
public final class SSHServer: Sendable {
    /// The temp dir holding keys, configs and known_hosts.
    public let directory: String
    /// The port sshd listens on (127.0.0.1).
    public let port: Int
    /// A second port whose sessions run with a PATH that has neither socat nor nc (a host without a bridge).
    public let bareHostPort: Int
    /// The `Host` alias the client config defines.
    public let hostAlias = "switchboard-test"
    /// `ssh -F <config>`: for `SWITCHBOARD_SSH_COMMAND` or a target's `ssh_command`.
    public var sshCommand: String { "ssh -F \(directory)/ssh_config" }
    /// The daemon's pid, read from its PidFile.
    public let pid: Int32

    private init(directory: String, port: Int, bareHostPort: Int, pid: Int32) {
        self.directory = directory
        self.port = port
        self.bareHostPort = bareHostPort
        self.pid = pid
    }

    /// Starts sshd and waits (with a deadline) until a key login runs a command.
    public static func start() async throws -> SSHServer {
        guard let sshd = ["/usr/sbin/sshd", "/usr/bin/sshd"].first(where: FileManager.default.isExecutableFile) else {
            throw SSHServerError("sshd is not installed: apt-get install openssh-server openssh-client")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-sshd-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        for key in ["host_key", "client_key", "wrong_key", "other_host_key"] {
            try await run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(directory)/\(key)"])
        }
        try FileManager.default.copyItem(atPath: "\(directory)/client_key.pub", toPath: "\(directory)/authorized_keys")
        let port = try FreePort.next()
        var bareHostPort = try FreePort.next()
        while bareHostPort == port { bareHostPort = try FreePort.next() }
        try "#!/bin/sh\nPATH=/nonexistent exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n".write(
            toFile: "\(directory)/bare-host.sh", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(directory)/bare-host.sh")
        // Privilege separation needs this directory when sshd runs as root (Debian creates it at boot only).
        if getuid() == 0 {
            try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
        let config = """
            Port \(port)
            Port \(bareHostPort)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            LogLevel ERROR
            Match LocalPort \(bareHostPort)
                ForceCommand \(directory)/bare-host.sh

            """
        try config.write(toFile: "\(directory)/sshd_config", atomically: true, encoding: .utf8)
        let hostKey = try String(contentsOfFile: "\(directory)/host_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let otherKey = try String(contentsOfFile: "\(directory)/other_host_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(port) \(hostKey)\n[127.0.0.1]:\(bareHostPort) \(hostKey)\n".write(
            toFile: "\(directory)/known_hosts", atomically: true, encoding: .utf8)
        try "[127.0.0.1]:\(port) \(otherKey)\n".write(
            toFile: "\(directory)/changed_known_hosts", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(directory)/empty_known_hosts", atomically: true, encoding: .utf8)
        try clientConfig(directory: directory, port: port, key: "client_key", knownHosts: "known_hosts")
            .write(toFile: "\(directory)/ssh_config", atomically: true, encoding: .utf8)
        // As a daemon (it forks and writes its pid once listening). Run in the foreground (`-D`) as a child of the
        // test process, the ssh clients the tests start were never reaped by Foundation (seen: `ssh <defunct>`).
        try await run(sshd, ["-f", "\(directory)/sshd_config", "-E", "\(directory)/sshd.log"])
        var pid: Int32 = 0
        try await Deadline.waitUntil("sshd writes its pid", timeout: .seconds(10)) {
            pid =
                (try? String(contentsOfFile: "\(directory)/sshd.pid", encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            return pid > 0
        }
        let server = SSHServer(directory: directory, port: port, bareHostPort: bareHostPort, pid: pid)
        do {
            try await Deadline.waitUntil("sshd on 127.0.0.1:\(port) runs a command", timeout: .seconds(20)) {
                (try? await run("/usr/bin/ssh", ["-F", "\(directory)/ssh_config", "switchboard-test", "true"])) != nil
            }
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// A client config for the alias, with another key or known_hosts file (for the failure tests).
    public func writeVariant(
        named name: String, key: String = "client_key", knownHosts: String = "known_hosts", bareHost: Bool = false
    ) throws -> String {
        let path = "\(directory)/\(name)"
        try Self.clientConfig(
            directory: directory, port: bareHost ? bareHostPort : port, key: key, knownHosts: knownHosts
        )
        .write(toFile: path, atomically: true, encoding: .utf8)
        return "ssh -F \(path)"
    }

    static func clientConfig(directory: String, port: Int, key: String, knownHosts: String) -> String {
        """
        Host switchboard-test
            HostName 127.0.0.1
            Port \(port)
            User \(ProcessInfo.processInfo.userName)
            IdentityFile \(directory)/\(key)
            IdentitiesOnly yes
            IdentityAgent none
            UserKnownHostsFile \(directory)/\(knownHosts)
            GlobalKnownHostsFile /dev/null
            StrictHostKeyChecking yes
            LogLevel ERROR

        """
    }

    /// Stops sshd (its pid only; sessions it forked end with their connections) and removes the temp dir.
    public func stop() {
        kill(pid, SIGTERM)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func run(_ executable: String, _ arguments: [String]) async throws {
        let result = try await BuiltProgram.run(
            arguments, executable: URL(fileURLWithPath: executable), timeout: .seconds(10))
        guard result.status == 0 else { throw SSHServerError("\(executable) failed: \(result.standardError)") }
    }
}

/// Why the test sshd could not start.
public struct SSHServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}
