import ArgumentParser
import Foundation
import HAProxyDriver
import SwitchboardCore

/// `switchboard status`: backends and servers with state, weight, sessions and rate.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print backends and servers with state, weight, sessions and rate.",
        discussion: "With --json, prints the stable shape documented in the README (schema 1).")

    @OptionGroup var socket: SocketOptions

    @Option(name: .long, help: "Only this backend.")
    var backend: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        try await ExitCodes.reporting {
            if let backend { _ = try ObjectName(backend, kind: "backend") }
            let socket = self.socket
            let snapshot = try await CommandDeadline.within(socket.duration, what: "status") {
                let driver = try await socket.makeDriver()
                defer { Task { await driver.close() } }
                let snapshot = try await driver.snapshot()
                await driver.close()
                return snapshot
            }
            if let backend, snapshot.backend(named: backend) == nil {
                throw SwitchboardError(
                    .noSuchBackend,
                    "no backend '\(backend)' on \(snapshot.info.socket); backends: "
                        + snapshot.backends.map(\.name).joined(separator: ", "))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(StatusDocument(snapshot: snapshot, backend: backend))
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data(StatusTable.render(snapshot, backend: backend).utf8))
            }
        }
    }
}
