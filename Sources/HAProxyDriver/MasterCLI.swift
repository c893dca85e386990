import NIOCore
import NIOPosix
import SwitchboardCore

/// HAProxy's master CLI (the `-S` socket of master-worker mode): which workers run, including the old
/// ones still finishing their sessions after a reload, and `show stat` of any one of them (`@!<pid>`).
///
/// A persistent stats-socket session only ever sees the current worker; after a reload the old worker
/// can still serve sessions of a drained server, and only the master can reach it.
public struct MasterCLI: Sendable {
    /// The master socket.
    public let address: ControlSocketAddress
    /// Deadline for each command.
    public let timeout: Duration
    /// How to reach an `ssh://` master socket (the balancer's own ssh settings).
    public let ssh: SSHOptions

    /// A master CLI at `address`.
    public init(address: ControlSocketAddress, timeout: Duration = .seconds(2), ssh: SSHOptions = SSHOptions()) {
        self.address = address
        self.timeout = timeout
        self.ssh = ssh
    }

    /// The pids of the old workers (`# old workers` in `show proc`): still running after a reload.
    public func oldWorkers() async throws -> [Int] {
        Self.oldWorkers(inShowProc: String(buffer: try await send("show proc")))
    }

    /// Parses `show proc`: the first column of the lines under `# old workers`.
    public static func oldWorkers(inShowProc text: String) -> [Int] {
        var inOld = false
        var pids: [Int] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") {
                inOld = line.lowercased().contains("old workers")
                continue
            }
            if inOld, let pid = line.split(separator: " ", omittingEmptySubsequences: true).first.flatMap({ Int($0) }) {
                pids.append(pid)
            }
        }
        return pids
    }

    /// `show stat` of one worker, old or current.
    public func stat(ofWorker pid: Int) async throws -> StatTable {
        guard pid > 0 else { throw SwitchboardError(.invalidValue, "worker pid \(pid) is not a pid") }
        return try StatTable(bytes: Array(try await send("@!\(pid) show stat").readableBytesView))
    }

    /// Sessions of `backend/server` on each old worker (pid → sessions); a worker gone is left out.
    public func oldWorkerSessions(_ server: ServerRef) async throws -> [Int: Int] {
        try await Self.sessions(
            of: server, workers: try await oldWorkers(), stat: { try await stat(ofWorker: $0) },
            listedNow: { try await oldWorkers() })
    }

    /// Sessions of `server` on each of `workers`, read with `stat`. An old worker can finish between `show proc`
    /// and its `show stat` (the master then answers nothing a stats CSV): when `listedNow` no longer lists it, it
    /// has exited with its sessions and is left out; when it is still listed the error stands.
    static func sessions(
        of server: ServerRef, workers: [Int], stat: (Int) async throws -> StatTable,
        listedNow: () async throws -> [Int]
    ) async throws -> [Int: Int] {
        var sessions: [Int: Int] = [:]
        for pid in workers {
            let table: StatTable
            do {
                table = try await stat(pid)
            } catch {
                if try await !listedNow().contains(pid) { continue }
                throw error
            }
            for row in 0..<table.rowCount
            where table.string(row: row, "pxname") == server.backend.value
                && table.string(row: row, "svname") == server.server.value
            {
                sessions[pid] = table.int(row: row, "scur") ?? 0
            }
        }
        return sessions
    }

    private func send(_ line: String) async throws -> ByteBuffer {
        let (seconds, attoseconds) = timeout.components
        let amount = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let connection = try await ControlConnection.open(
            address, framing: .endOfFile, timeout: amount, group: MultiThreadedEventLoopGroup.singleton, ssh: ssh)
        defer { Task { await connection.close() } }
        return try await connection.request(line, timeout: amount, halfClose: true)
    }
}
