import FoundationEssentials
import Glibc
import HAProxyDriver
import Logging
import SwitchboardCore
import Synchronization

/// A real haproxy on 127.0.0.1 with its origins and agents: the demo's balancer and the tests' lab.
///
/// Everything lives in a private temporary directory and on free ports; ``stop()`` stops exactly what
/// was started, by pid, and removes the directory. Use ``with(_:logger:_:)`` in tests so a failing test
/// still stops it.
///
/// ```swift
/// try await Lab.with(.demo) { lab in
///     let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
///     print(try await driver.snapshot().backends.count)
/// }
/// ```
public final class Lab: Sendable {
    /// The spec it was built from.
    public let spec: LabSpec
    /// The private directory (config, sockets, log).
    public let directory: String
    /// The HTTP frontend port; `/BACKEND/…` is routed to BACKEND.
    public let frontendPort: Int
    /// The TCP admin socket port.
    public let adminTCPPort: Int
    /// Origins by `backend/server`.
    public let origins: [String: OriginServer]
    /// Agents by `backend/server`.
    public let agents: [String: AgentServer]
    /// The haproxy master process.
    public var process: HAProxyProcess { processBox.current }
    private let processBox: ProcessBox
    private let workerPids: WorkerPids

    /// The unix admin socket.
    public var adminSocket: String { directory + "/admin.sock" }
    /// The unix operator-level socket.
    public var operatorSocket: String { directory + "/operator.sock" }
    /// The unix user-level socket.
    public var userSocket: String { directory + "/user.sock" }
    /// The master CLI socket.
    public var masterSocket: String { directory + "/master.sock" }
    /// The host map (with ``LabSpec/routes``).
    public var hostMap: String { directory + "/hosts.map" }
    /// The TCP admin socket, as `tcp://127.0.0.1:PORT`.
    public var adminTCPAddress: String { "tcp://127.0.0.1:\(adminTCPPort)" }
    /// The config file.
    public var configPath: String { directory + "/haproxy.cfg" }

    private init(
        spec: LabSpec, directory: String, frontendPort: Int, adminTCPPort: Int, origins: [String: OriginServer],
        agents: [String: AgentServer], process: HAProxyProcess
    ) {
        self.spec = spec
        self.directory = directory
        self.frontendPort = frontendPort
        self.adminTCPPort = adminTCPPort
        self.origins = origins
        self.agents = agents
        self.processBox = ProcessBox(process)
        self.workerPids = WorkerPids()
    }

    /// Starts origins, agents and haproxy, and waits until the admin socket answers.
    public static func start(
        _ spec: LabSpec, originLatency: Duration = .milliseconds(5), healthLatency: Duration = .zero,
        logger: Logger? = nil
    )
        async throws -> Lab
    {
        _ = try HAProxyProcess.locate()
        await reapOrphans()
        let directory = try makeDirectory()
        // Who owns this lab: a later lab stops it if this process dies without cleaning up (a crash, SIGKILL).
        try? "\(getpid())".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        var origins: [String: OriginServer] = [:]
        var agents: [String: AgentServer] = [:]
        do {
            for backend in spec.backends {
                for server in backend.servers {
                    let key = "\(backend.name)/\(server.name)"
                    switch server.target {
                    case .origin:
                        origins[key] = try await OriginServer.start(
                            name: key, latency: originLatency, healthLatency: healthLatency)
                    case .sharedOrigin(let index) where origins["shared/\(index)"] == nil:
                        origins["shared/\(index)"] = try await OriginServer.start(
                            name: "shared/\(index)", latency: originLatency, healthLatency: healthLatency)
                    default:
                        break
                    }
                    if let reply = server.agentReply { agents[key] = try await AgentServer.start(reply: reply) }
                }
            }
            // Free ports are found by binding port 0 and closing it; another process can take one before
            // haproxy binds it. Then haproxy exits with "Address already in use": try again with new ports.
            var attempt = 0
            while true {
                attempt += 1
                let ports = try FreePort.next(3)
                let endpoints = HAProxyConfig.Endpoints(
                    directory: directory, frontendPort: ports[0], adminTCPPort: ports[1],
                    originPorts: origins.mapValues(\.port), agentPorts: agents.mapValues(\.port), closedPort: ports[2])
                let config = HAProxyConfig(spec: spec, endpoints: endpoints)
                try config.text.write(toFile: directory + "/haproxy.cfg", atomically: true, encoding: .utf8)
                if !spec.routes.isEmpty {
                    try HAProxyConfig.hostMap(spec).write(
                        toFile: directory + "/hosts.map", atomically: true, encoding: .utf8)
                }
                let process = try HAProxyProcess.start(configPath: directory + "/haproxy.cfg", directory: directory)
                let lab = Lab(
                    spec: spec, directory: directory, frontendPort: ports[0], adminTCPPort: ports[1], origins: origins,
                    agents: agents, process: process)
                logger?.info("lab haproxy started", metadata: ["pid": "\(process.pid)", "dir": "\(directory)"])
                do {
                    try await lab.waitUntilReady()
                    return lab
                } catch let error as SwitchboardError
                    where attempt < 3 && error.message.contains("Address already in use")
                {
                    await process.stop()
                    logger?.notice("a lab port was taken meanwhile; retrying", metadata: ["attempt": "\(attempt)"])
                } catch {
                    await lab.stop()
                    throw error
                }
            }
        } catch {
            for origin in origins.values { await origin.stop() }
            for agent in agents.values { await agent.stop() }
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Runs `body` with a started lab and always stops it afterwards, even when `body` throws.
    public static func with<T: Sendable>(
        _ spec: LabSpec, healthLatency: Duration = .zero, logger: Logger? = nil, _ body: (Lab) async throws -> T
    ) async throws -> T {
        let lab = try await start(spec, healthLatency: healthLatency, logger: logger)
        do {
            let result = try await body(lab)
            await lab.stop()
            return result
        } catch {
            await lab.stop()
            throw error
        }
    }

    /// The current worker's pid, from `show info` on a fresh connection.
    public func workerPid() async throws -> Int {
        let driver = HAProxyDriver(
            address: .unix(path: adminSocket), options: .init(timeout: .seconds(2), session: .oneShot))
        let pid = try await driver.connect().pid
        workerPids.add(pid)
        return pid
    }

    /// Reloads haproxy and waits until a new worker answers on new connections.
    public func reload(timeout: Duration = .seconds(10)) async throws {
        let old = try await workerPid()
        if spec.serverStateFile {
            let driver = HAProxyDriver(
                address: .unix(path: adminSocket), options: .init(timeout: .seconds(2), session: .oneShot))
            let state = try await driver.execute(.showServersState()).reply
            try (state + "\n").write(toFile: directory + "/server-state", atomically: true, encoding: .utf8)
        }
        process.reload()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var sentAt = clock.now
        while clock.now < deadline {
            if let pid = try? await workerPid(), pid != old { return }
            // A SIGUSR2 that reaches a master still settling after its start is lost (seen once in a full run
            // under load): ask again every 3 s; one reload more changes nothing the tests look at.
            if clock.now - sentAt > .seconds(3) {
                process.reload()
                sentAt = clock.now
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SwitchboardError(.timeout, "haproxy did not start a new worker within \(timeout) of a reload")
    }

    /// Stops haproxy and starts it again on the same config (new master, new workers, same sockets):
    /// what an operator sees when the balancer is restarted. Returns when the new one answers.
    public func restart(downtime: Duration = .zero) async throws {
        _ = try? await workerPid()
        await process.stop(workers: workerPids.all)
        if downtime > .zero { try await Task.sleep(for: downtime) }
        processBox.current = try HAProxyProcess.start(configPath: configPath, directory: directory)
        try await waitUntilReady()
    }

    /// Stops haproxy only (origins keep running); ``restart(downtime:)`` brings it back.
    public func stopBalancer() async {
        _ = try? await workerPid()
        await process.stop(workers: workerPids.all)
    }

    /// Starts haproxy again after ``stopBalancer()``.
    public func startBalancer() async throws {
        processBox.current = try HAProxyProcess.start(configPath: configPath, directory: directory)
        try await waitUntilReady()
    }

    /// Stops haproxy (by the pid Switchboard started), the origins and the agents, and removes the directory.
    public func stop() async {
        _ = try? await workerPid()
        await process.stop(workers: workerPids.all)
        for origin in origins.values { await origin.stop() }
        for agent in agents.values { await agent.stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The origin behind `backend/server`.
    public func origin(_ backend: String, _ server: String) -> OriginServer? { origins["\(backend)/\(server)"] }

    /// Requests served by each origin of `backend`, by server name.
    public func servedCounts(backend: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for (key, origin) in origins where key.hasPrefix(backend + "/") {
            counts[String(key.dropFirst(backend.count + 1))] = origin.served
        }
        return counts
    }

    /// Resets every origin's request counter.
    public func resetCounts() { for origin in origins.values { origin.resetCount() } }

    private func waitUntilReady(timeout: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lastError: (any Error)?
        while clock.now < deadline {
            guard process.isRunning else {
                throw SwitchboardError(
                    .other, "haproxy exited at start-up: \(process.logTail())", cause: "config \(configPath)")
            }
            do {
                _ = try await workerPid()
                return
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw SwitchboardError(
            .timeout, "haproxy did not answer on \(adminSocket) within \(timeout)",
            cause: lastError.map { "\($0)" } ?? process.logTail())
    }

    /// Stops the haproxy of labs whose owner process is gone (it crashed or was killed before it could stop
    /// them), by the pids recorded in their directories, after checking each pid runs that lab's config.
    /// Labs without an owner file, or whose owner is alive, are left alone.
    static func reapOrphans() async {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for entry in entries where entry.hasPrefix("switchboard-lab-") {
            let directory = base + "/" + entry
            guard let ownerText = try? String(contentsOfFile: directory + "/owner.pid", encoding: .utf8),
                let owner = Int32(ownerText.trimmingWhitespace()),
                kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            let config = directory + "/haproxy.cfg"
            for pid in processes(runningConfig: config) { kill(pid, SIGTERM) }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(3)
            while !processes(runningConfig: config).isEmpty && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            for pid in processes(runningConfig: config) { kill(pid, SIGKILL) }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The pids of haproxy processes started on `config`.
    static func processes(runningConfig config: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { HAProxyProcess.belongs(pid: $0, configPath: config) }
    }

    private static func makeDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/switchboard-lab-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SwitchboardError(.other, "cannot create a temporary directory in \(base)")
        }
        return String(cString: made)
    }
}

/// The current haproxy process (replaced by a restart).
private final class ProcessBox: Sendable {
    private let value: Mutex<HAProxyProcess>
    init(_ process: HAProxyProcess) { value = Mutex(process) }
    var current: HAProxyProcess {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// Worker pids seen, so ``Lab/stop()`` can make sure none outlives the lab.
private final class WorkerPids: Sendable {
    private let pids = Mutex<Set<Int>>([])
    func add(_ pid: Int) { _ = pids.withLock { $0.insert(pid) } }
    var all: [Int] { pids.withLock { Array($0) } }
}
