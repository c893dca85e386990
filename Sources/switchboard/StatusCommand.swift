import ArgumentParser
import Foundation
import HAProxyDriver
import SwitchboardCore

/// `switchboard status`: backends and servers with state, weight, sessions and rate.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print backends and servers with state, weight, sessions and rate.",
        discussion: """
            With --json, prints the stable shape documented in the README (schema 1; schema 2 with several \
            --socket, one entry per balancer in the order given). Exit 4 when some of several did not answer.
            """)

    @OptionGroup var socket: SocketOptions

    @Option(name: .long, help: "Only this backend.")
    var backend: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    /// Exit code when some of several balancers did not answer (the others' data was printed).
    static let someUnanswered: Int32 = 4

    func run() async throws {
        try await ExitCodes.reporting {
            if let backend { _ = try ObjectName(backend, kind: "backend") }
            let addresses = try await socket.resolveAddresses()
            if addresses.count == 1 {
                try await single()
            } else {
                try await several(addresses)
            }
        }
    }

    /// One balancer: schema 1, exactly as before.
    func single() async throws {
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
            let data = try Self.encoder.encode(StatusDocument(snapshot: snapshot, backend: backend))
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(StatusTable.render(snapshot, backend: backend).utf8))
        }
    }

    /// Several balancers, read at once, each with its own driver and deadline: one that hangs or is gone
    /// costs its timeout and its line, never the others' data.
    func several(_ addresses: [ControlSocketAddress]) async throws {
        let timeout = socket.duration, backend = self.backend
        let results = await withTaskGroup(of: (Int, Result<BalancerSnapshot, SwitchboardError>).self) { group in
            for (index, address) in addresses.enumerated() {
                group.addTask {
                    let result = await Result.capturing {
                        try await CommandDeadline.within(timeout, what: "status of \(address)") {
                            let driver = HAProxyDriver(address: address, options: .init(timeout: timeout))
                            defer { Task { await driver.close() } }
                            let snapshot = try await driver.snapshot()
                            await driver.close()
                            if let backend, snapshot.backend(named: backend) == nil {
                                throw SwitchboardError(.noSuchBackend, "no backend '\(backend)' on \(address)")
                            }
                            return snapshot
                        }
                    }
                    return (index, result)
                }
            }
            var ordered = [Result<BalancerSnapshot, SwitchboardError>?](repeating: nil, count: addresses.count)
            for await (index, result) in group { ordered[index] = result }
            return ordered.compactMap { $0 }
        }
        let named = zip(addresses, results).map { (address: $0.description, result: $1) }
        if json {
            let data = try Self.encoder.encode(FleetStatusDocument(named, backend: backend))
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            var text = ""
            for (address, result) in named {
                text += "== \(address)\n"
                switch result {
                case .success(let snapshot): text += StatusTable.render(snapshot, backend: backend)
                case .failure(let error): text += "NOT ANSWERING: \(error.message)\n"
                }
                text += "\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let failed = named.filter { if case .failure = $0.result { true } else { false } }
        if !failed.isEmpty {
            for (address, result) in failed {
                if case .failure(let error) = result {
                    FileHandle.standardError.write(Data("switchboard: \(address): \(error)\n".utf8))
                }
            }
            throw ExitCode(Self.someUnanswered)
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
