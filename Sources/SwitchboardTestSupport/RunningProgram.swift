import Foundation
import Synchronization

/// A program started in the background with its output collected as it arrives (a pipe read by a
/// handler thread): for tests that act while it runs — kill it mid-way, reload the balancer, check that a
/// line arrived before exit.
public final class RunningProgram: Sendable {
    private let process: Process
    private let pipe: Pipe
    private let collected = Collected()

    /// Starts `executable` (the built `switchboard` by default) with `arguments`; `environment` is merged
    /// into this process' environment. Standard error joins standard output when `mergeErrors`.
    public init(
        _ arguments: [String], executable: URL = BuiltProgram.switchboard, environment: [String: String] = [:],
        mergeErrors: Bool = false
    ) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        env.merge(environment) { _, new in new }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = mergeErrors ? pipe : FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        self.process = process
        self.pipe = pipe
        let collected = self.collected
        pipe.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
    }

    /// Everything printed so far.
    public var output: String { collected.text }
    /// True while it runs.
    public var isRunning: Bool { process.isRunning }
    /// Its exit status (valid once it has exited).
    public var status: Int32 { process.terminationStatus }
    /// Its pid.
    public var pid: Int32 { process.processIdentifier }

    /// Sends `signal` (SIGTERM by default).
    public func kill(_ signal: Int32 = SIGTERM) { _ = Foundation.kill(process.processIdentifier, signal) }

    /// Waits until it has exited (after a kill, or with a deadline in ``Deadline``), then stops reading.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws {
        try await Deadline.waitUntil("the program exits", timeout: timeout, interval: .milliseconds(10)) {
            !self.process.isRunning
        }
        process.waitUntilExit()  // `terminationStatus` traps until Foundation has stored it
        pipe.fileHandleForReading.readabilityHandler = nil
    }
}

/// Bytes read from a pipe by a handler thread.
private final class Collected: Sendable {
    private let data = Mutex(Data())
    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }
    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}
