import Foundation

/// Runs the built `switchboard` executable the way a user or a script would, and captures its output.
public enum BuiltProgram {
    /// The result of one run.
    public struct Result: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var standardOutput: String
        /// Standard error.
        public var standardError: String
    }

    /// The directory holding the built products (next to the test bundle).
    public static var productsDirectory: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Fixtures.packageRoot.appendingPathComponent(".build/debug"),
        ]
        return candidates.first {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("switchboard").path)
        }
            ?? candidates[candidates.count - 1]
    }

    /// The built `switchboard` executable.
    public static var switchboard: URL { productsDirectory.appendingPathComponent("switchboard") }

    /// Runs `executable` with `arguments`, killing it if it outlives `timeout`.
    public static func run(
        _ arguments: [String], executable: URL = switchboard, environment: [String: String]? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        if let environment { env.merge(environment) { _, new in new } }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Blocking reads run on their own threads, never on Swift concurrency's small cooperative pool.
        async let outData = readToEnd(out.fileHandleForReading)
        async let errData = readToEnd(err.fileHandleForReading)
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while process.isRunning && clock.now < end { try await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning {
            process.terminate()
            try await Task.sleep(for: .milliseconds(200))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // `isRunning` can turn false before Foundation has stored the status, and `terminationStatus` then
        // traps (seen in CI): wait for Foundation's own bookkeeping; the process has exited, so this is short.
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: await outData, as: UTF8.self),
            standardError: String(decoding: await errData, as: UTF8.self))
    }

    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
