import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardTargets

/// `switchboard targets`: the balancers of the targets file (or the `--socket`s given), each checked at once.
struct TargetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract:
            "List the balancers of the targets file and check each: reachable, version, level, round trip, safety.",
        discussion: """
            Without --target/--group, every balancer of the file is listed (not only the default group). A TCP \
            socket on another host is marked UNSAFE: HAProxy's TCP CLI has no authentication and no encryption — \
            prefer ssh://. Exit 4 when some did not answer.
            """)

    @OptionGroup var socket: SocketOptions

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    /// One checked target, as printed.
    struct Check: Encodable {
        var name: String
        var label: String
        var address: String
        var colour: String?
        var readOnly: Bool
        var reachable: Bool
        var version: String?
        var level: String?
        var roundTripMilliseconds: Double?
        var safety: String
        var safetyNote: String
        var error: CheckError?

        enum CodingKeys: String, CodingKey {
            case name, label, address, colour, reachable, version, level, safety, error
            case readOnly = "read_only"
            case roundTripMilliseconds = "rtt_ms"
            case safetyNote = "safety_note"
        }
    }

    /// Why a target did not answer.
    struct CheckError: Encodable {
        var code: String
        var message: String
    }

    /// The `--json` document.
    struct Document: Encodable {
        var schema = 1
        var file: String?
        var targets: [Check]
        var groups: [[String: [String]]]
    }

    func run() async throws {
        try await ExitCodes.reporting {
            var options = socket
            var file: TargetsFile?
            if options.socket.isEmpty, options.targetNames.isEmpty, options.group == nil,
                let path = options.targets ?? TargetsFile.defaultPath(), FileManager.default.fileExists(atPath: path)
            {
                do {
                    file = try TargetsFile(contentsOf: path)
                } catch let error as TargetsFileError {
                    throw SwitchboardError(.invalidValue, error.description + "; nothing was contacted")
                }
                options.targetNames = file?.balancers.map(\.name) ?? []
                options.targets = path
            }
            let targets = try await options.resolveTargets()
            let chosen = options
            let checks = await withTaskGroup(of: (Int, Check).self) { group in
                for (index, target) in targets.enumerated() {
                    group.addTask { (index, await Self.check(target, options: chosen)) }
                }
                var ordered = [Check?](repeating: nil, count: targets.count)
                for await (index, check) in group { ordered[index] = check }
                return ordered.compactMap { $0 }
            }
            if json {
                let document = Document(
                    file: file?.path ?? options.targets, targets: checks,
                    groups: file?.groups.map { [$0.name: $0.members] } ?? [])
                StandardStream.output.write(bytes: try StatusCommand.encoder.encode(document) + Data("\n".utf8))
            } else {
                StandardStream.output.write(Self.table(checks, groups: file?.groups ?? []))
            }
            if checks.contains(where: { !$0.reachable }) { throw ExitCode(StatusCommand.someUnanswered) }
        }
    }

    static func check(_ target: BalancerTarget, options: SocketOptions) async -> Check {
        var check = Check(
            name: target.name, label: target.label, address: target.address.description,
            colour: target.colour?.rawValue, readOnly: target.readOnly, reachable: false,
            safety: target.safety.rawValue, safetyNote: target.safety.explanation)
        do {
            let (info, elapsed) = try await CommandDeadline.within(
                options.duration(for: target), what: "checking \(target.name)"
            ) {
                let driver = options.driver(for: target)
                defer { Task { await driver.close() } }
                let info = try await driver.connect()
                let clock = ContinuousClock()
                let started = clock.now
                _ = try await driver.execute(.showCLILevel)
                let elapsed = clock.now - started
                await driver.close()
                return (info, elapsed)
            }
            check.reachable = true
            check.version = info.version
            check.level = info.level.rawValue
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            check.roundTripMilliseconds = (milliseconds * 10).rounded() / 10
        } catch let error as SwitchboardError {
            check.error = .init(code: error.code.rawValue, message: error.message)
        } catch {
            check.error = .init(code: "other", message: "\(error)")
        }
        return check
    }

    static func table(_ checks: [Check], groups: [TargetGroup]) -> String {
        let header = ["NAME", "ADDRESS", "STATE", "VERSION", "LEVEL", "RTT", "SAFETY"]
        let rows = checks.map { check -> [String] in
            [
                check.name + (check.readOnly ? " (read-only)" : ""), check.address,
                check.reachable ? "answers" : "NOT ANSWERING",
                check.version.map { String($0.prefix { $0 != "-" }) } ?? "-", check.level ?? "-",
                check.roundTripMilliseconds.map { String(printf: "%.1f ms", $0) } ?? "-", check.safetyNote,
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padded(to: $1) }.joined(separator: "  ")
                .trimmingSpaces() + "\n"
        }
        var text = line(header) + rows.map(line).joined()
        for check in checks {
            if let error = check.error { text += "\n\(check.name): \(error.message)" }
        }
        if checks.contains(where: { $0.error != nil }) { text += "\n" }
        if !groups.isEmpty {
            text +=
                "\ngroups: "
                + groups.map { "\($0.name) = \($0.members.joined(separator: ", "))" }.joined(separator: "; ")
                + "\n"
        }
        return text
    }
}
