import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardTargets

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
            let targets = try await socket.resolveTargets()
            if targets.count == 1, let only = targets.first {
                try await single(only)
            } else {
                try await several(targets)
            }
        }
    }

    /// One balancer: schema 1, exactly as before.
    func single(_ target: BalancerTarget) async throws {
        let socket = self.socket
        let snapshot = try await CommandDeadline.within(socket.duration(for: target), what: "status") {
            let driver = socket.driver(for: target)
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
            StandardStream.output.write(bytes: data + Data("\n".utf8))
        } else {
            StandardStream.output.write(StatusTable.render(snapshot, backend: backend))
        }
    }

    /// Several balancers, read at once, each with its own driver and deadline: one that hangs or is gone
    /// costs its timeout and its line, never the others' data.
    func several(_ targets: [BalancerTarget]) async throws {
        let socket = self.socket, backend = self.backend
        let results = await withTaskGroup(of: (Int, Result<BalancerSnapshot, SwitchboardError>).self) { group in
            for (index, target) in targets.enumerated() {
                let address = target.address
                group.addTask {
                    let result = await Result.capturing {
                        try await CommandDeadline.within(socket.duration(for: target), what: "status of \(address)") {
                            let driver = socket.driver(for: target)
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
            var ordered = [Result<BalancerSnapshot, SwitchboardError>?](repeating: nil, count: targets.count)
            for await (index, result) in group { ordered[index] = result }
            return ordered.compactMap { $0 }
        }
        let named = zip(targets, results).map {
            (name: $0.name, label: $0.label, address: $0.address.description, result: $1)
        }
        if json {
            let data = try Self.encoder.encode(FleetStatusDocument(named, backend: backend))
            StandardStream.output.write(bytes: data + Data("\n".utf8))
        } else {
            var text = ""
            for (name, label, address, result) in named {
                text += name == address ? "== \(address)\n" : "== \(label)  \(address)\n"
                switch result {
                case .success(let snapshot): text += StatusTable.render(snapshot, backend: backend)
                case .failure(let error): text += "NOT ANSWERING: \(error.message)\n"
                }
                text += "\n"
            }
            StandardStream.output.write(text)
        }
        let failed = named.filter { if case .failure = $0.result { true } else { false } }
        if !failed.isEmpty {
            for (name, _, _, result) in failed {
                if case .failure(let error) = result {
                    StandardStream.error.write("switchboard: \(name): \(error)\n")
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
