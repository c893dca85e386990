import FoundationEssentials
import Glibc
import HAProxyDriver
import SwitchboardCore

/// A `haproxy` process started by Switchboard in master-worker mode, and stopped by its pid.
public final class HAProxyProcess: Sendable {
    /// The master's pid (the process Switchboard started).
    public let pid: Int32
    /// The config file.
    public let configPath: String
    /// Where haproxy's own output goes.
    public let logPath: String
    private let process: ChildProcess

    private init(process: ChildProcess, configPath: String, logPath: String) {
        self.process = process
        self.pid = process.pid
        self.configPath = configPath
        self.logPath = logPath
    }

    /// The haproxy binary: `$SWITCHBOARD_HAPROXY` when set (to run the suites on another version),
    /// else `haproxy` on PATH (or in /usr/sbin, /usr/local/sbin); a clear error when missing.
    public static func locate(
        searchPath: [String] = defaultSearchPath,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        if let chosen = environment["SWITCHBOARD_HAPROXY"], !chosen.isEmpty {
            let path = chosen.hasPrefix("/") ? chosen : FileManager.default.currentDirectoryPath + "/" + chosen
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw SwitchboardError(
                    .missingProgram,
                    "SWITCHBOARD_HAPROXY=\(chosen) is not an executable file — point it at a haproxy binary or unset it"
                )
            }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        for directory in searchPath {
            let binary = directory + "/haproxy"
            if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        }
        throw SwitchboardError(
            .missingProgram,
            "haproxy is not installed — install it with `sudo apt-get install haproxy` (Debian/Ubuntu), "
                + "then run again")
    }

    /// `$PATH`, then the sbin directories where distributions put haproxy.
    public static var defaultSearchPath: [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin"]
    }

    /// Starts haproxy on `configPath` in master-worker mode, in the foreground of its own process.
    public static func start(configPath: String, directory: String) throws -> HAProxyProcess {
        let binary = try locate()
        let logPath = directory + "/haproxy.log"
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else {
            throw SwitchboardError(.other, "cannot write haproxy's log \(logPath): \(String(cString: strerror(errno)))")
        }
        defer { close(log) }
        let process = try ChildProcess.spawn(
            binary,
            arguments: ["-W", "-f", configPath, "-p", directory + "/haproxy.pid", "-S", directory + "/master.sock"],
            output: log, errors: log, directory: directory)
        return HAProxyProcess(process: process, configPath: configPath, logPath: logPath)
    }

    /// True while the master runs.
    public var isRunning: Bool { process.isRunning }

    /// The last lines haproxy printed, for error messages.
    public func logTail(lines: Int = 8) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Asks the master to reload (SIGUSR2): a new worker starts, the old one finishes.
    public func reload() {
        process.send(SIGUSR2)
    }

    /// Stops the master (SIGTERM, then SIGKILL after `grace`) and any worker pid given that survived it.
    public func stop(workers: [Int] = [], grace: Duration = .seconds(5)) async {
        process.send(SIGTERM)
        if await process.waitForExit(timeout: grace) == nil { process.send(SIGKILL) }
        for worker in workers where worker > 0 && Self.belongs(pid: Int32(worker), configPath: configPath) {
            kill(Int32(worker), SIGKILL)
        }
    }

    /// True when `pid` is a live haproxy running our config (so we never signal someone else's process).
    static func belongs(pid: Int32, configPath: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data, as: UTF8.self).contains(configPath)
    }
}
