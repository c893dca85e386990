import FoundationEssentials
import SwitchboardCore
import TOMLKit

/// The targets file: named balancers and groups of them.
///
/// ```toml
/// [balancers.lb1]
/// address = "/run/haproxy/admin.sock"
/// label = "lb1 fra"
/// colour = "red"
///
/// [balancers.lb2]
/// address = "ssh://ops@lb2.example.net/run/haproxy/admin.sock"
/// read_only = true
/// timeout = 3
/// master_socket = "/run/haproxy-master.sock"   # on lb2 (drain --wait counts old workers there)
///
/// [groups]
/// default = ["lb1", "lb2"]
/// ```
public struct TargetsFile: Sendable, Hashable {
    /// The file it was read from.
    public var path: String
    /// The balancers, in the order the file lists them.
    public var balancers: [BalancerTarget]
    /// The groups, in the order the file lists them, each with its members in order.
    public var groups: [TargetGroup]

    /// Fields a balancer table may have.
    public static let balancerFields = [
        "address", "label", "colour", "color", "read_only", "timeout", "ssh_command", "sudo", "master_socket",
    ]

    /// `$XDG_CONFIG_HOME/switchboard/targets.toml`, or `~/.config/switchboard/targets.toml`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/switchboard/targets.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/switchboard/targets.toml" }
        return nil
    }

    /// Reads and checks a file; nothing is contacted.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TargetsFileError(file: path, line: nil, problem: "cannot read the file")
        }
        try self.init(toml: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses a file's text; `file` is named in errors.
    public init(toml text: String, file: String) throws {
        path = file
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TargetsFileError(file: file, line: error.source.begin.line, problem: error.description)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingSpaces()
        }
        /// The line of `[header]`, or of `key =` after it.
        func line(header: String, key: String? = nil) -> Int? {
            guard let start = lines.firstIndex(where: { $0.hasPrefix("[\(header)]") }) else {
                return key.flatMap { key in lines.firstIndex(where: { $0.hasPrefix(key) }).map { $0 + 1 } }
            }
            guard let key else { return start + 1 }
            for index in lines.indices.dropFirst(start + 1) {
                if lines[index].hasPrefix("[") { break }
                let name = lines[index].split(separator: "=", maxSplits: 1).first?.trimmingSpaces()
                if name == key || name == "\"\(key)\"" { return index + 1 }
            }
            return start + 1
        }
        func fail(_ line: Int?, _ problem: String) -> TargetsFileError {
            TargetsFileError(file: file, line: line, problem: problem)
        }
        for key in table.keys where key != "balancers" && key != "groups" {
            throw fail(
                lines.firstIndex { $0.hasPrefix(key) || $0.hasPrefix("[\(key)") }.map { $0 + 1 },
                "unknown key '\(key)' (expected [balancers.NAME] tables and a [groups] table)")
        }
        guard let balancerTables = table["balancers"]?.table, !balancerTables.isEmpty else {
            throw fail(nil, "no balancers: add a [balancers.NAME] table with an address")
        }
        var balancers: [BalancerTarget] = []
        // In the file's order, so the first problem reported is the first in the file.
        for name in balancerTables.keys.sorted(by: {
            (line(header: "balancers.\($0)") ?? 0) < (line(header: "balancers.\($1)") ?? 0)
        }) {
            let header = "balancers.\(name)"
            guard (try? ObjectName(name, kind: "balancer")) != nil else {
                throw fail(line(header: header), "'\(name)' is not a balancer name (letters, digits, _ . : -)")
            }
            guard let fields = balancerTables[name]?.table else {
                throw fail(line(header: "balancers", key: name), "balancers.\(name) must be a table")
            }
            for field in fields.keys where !Self.balancerFields.contains(field) {
                throw fail(
                    line(header: header, key: field),
                    "unknown field '\(field)' in balancers.\(name) (expected \(Self.balancerFields.filter { $0 != "color" }.joined(separator: ", ")))"
                )
            }
            guard let addressText = fields["address"]?.string else {
                throw fail(
                    line(header: header, key: fields["address"] == nil ? nil : "address"),
                    fields["address"] == nil ? "balancers.\(name) has no address" : "address must be a string")
            }
            let address: ControlSocketAddress
            do {
                address = try ControlSocketAddress(parsing: addressText)
            } catch let error as SwitchboardError {
                throw fail(line(header: header, key: "address"), error.message)
            }
            func string(_ key: String) throws -> String? {
                guard let value = fields[key] else { return nil }
                guard let text = value.string else {
                    throw fail(line(header: header, key: key), "\(key) must be a string")
                }
                return text
            }
            func bool(_ key: String) throws -> Bool {
                guard let value = fields[key] else { return false }
                guard let flag = value.bool else {
                    throw fail(line(header: header, key: key), "\(key) must be true or false")
                }
                return flag
            }
            var colour: TargetColour?
            let colourKey = fields["colour"] != nil ? "colour" : "color"
            if let text = try string(colourKey) {
                guard let known = TargetColour(rawValue: text.lowercased()) else {
                    throw fail(
                        line(header: header, key: colourKey),
                        "unknown colour '\(text)'; use one of \(TargetColour.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                colour = known
            }
            var timeout: Double?
            if let value = fields["timeout"] {
                guard let seconds = value.double ?? value.int.map(Double.init), (0.1...60).contains(seconds) else {
                    throw fail(line(header: header, key: "timeout"), "timeout must be a number of seconds, 0.1–60")
                }
                timeout = seconds
            }
            let label = try string("label")
            if let label, label.isEmpty || label.count > 40 || label.contains(where: { $0.isNewline }) {
                throw fail(line(header: header, key: "label"), "label must be 1–40 characters on one line")
            }
            let sshCommand = try string("ssh_command")
            let sudo = try bool("sudo")
            if sshCommand != nil || sudo, case .ssh = address {
            } else if sshCommand != nil || sudo {
                throw fail(
                    line(header: header, key: sshCommand != nil ? "ssh_command" : "sudo"),
                    "\(sshCommand != nil ? "ssh_command" : "sudo") applies only to an ssh:// address")
            }
            var target = BalancerTarget(
                name: name, address: address, label: label, colour: colour, readOnly: try bool("read_only"),
                timeout: timeout, sshCommand: sshCommand, sudo: sudo)
            if let master = try string("master_socket") {
                do {
                    target.masterSocket = try target.masterAddress(parsing: master)
                } catch let error as SwitchboardError {
                    throw fail(line(header: header, key: "master_socket"), "master_socket: \(error.message)")
                }
            }
            balancers.append(target)
        }
        var groups: [TargetGroup] = []
        if let value = table["groups"] {
            guard let groupTable = value.table else { throw fail(line(header: "groups"), "groups must be a table") }
            for name in groupTable.keys {
                guard let members = groupTable[name]?.array?.compactMap(\.string),
                    members.count == groupTable[name]?.array?.count, !members.isEmpty
                else {
                    throw fail(
                        line(header: "groups", key: name),
                        "group '\(name)' must list balancer names, e.g. [\"lb1\", \"lb2\"]")
                }
                for member in members where !balancers.contains(where: { $0.name == member }) {
                    throw fail(
                        line(header: "groups", key: name),
                        "group '\(name)' names '\(member)', which is not a balancer here (balancers: "
                            + balancers.map(\.name).joined(separator: ", ") + ")")
                }
                groups.append(TargetGroup(name: name, members: members))
            }
            groups.sort { (line(header: "groups", key: $0.name) ?? 0) < (line(header: "groups", key: $1.name) ?? 0) }
        }
        self.balancers = balancers
        self.groups = groups
    }

    /// The balancers picked by `--target` names and/or `--group`; with neither, the `default` group, or every
    /// balancer when the file has no such group. Unknown names are refused with the known ones.
    public func select(targets: [String], group: String?) throws -> [BalancerTarget] {
        var names: [String] = []
        if let group {
            guard let members = groups.first(where: { $0.name == group })?.members else {
                throw SwitchboardError(
                    .invalidValue,
                    "no group '\(group)' in \(path); groups: "
                        + (groups.isEmpty ? "none" : groups.map(\.name).joined(separator: ", ")))
            }
            names += members
        }
        for target in targets {
            guard balancers.contains(where: { $0.name == target }) else {
                throw SwitchboardError(
                    .invalidValue,
                    "no balancer '\(target)' in \(path); balancers: " + balancers.map(\.name).joined(separator: ", "))
            }
            if !names.contains(target) { names.append(target) }
        }
        if names.isEmpty { names = groups.first(where: { $0.name == "default" })?.members ?? balancers.map(\.name) }
        return names.compactMap { name in balancers.first { $0.name == name } }
    }

}

/// A named group of balancers (`[groups]` in the targets file).
public struct TargetGroup: Sendable, Hashable {
    /// The group's name (`default` is used when nothing is picked).
    public var name: String
    /// Balancer names, in order.
    public var members: [String]
}

/// A targets file that cannot be used, with the file, the line and the problem. Nothing was contacted.
public struct TargetsFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// What is wrong.
    public var problem: String

    /// Makes an error.
    public init(file: String, line: Int?, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// `targets FILE, line N: problem`.
    public var description: String {
        if let line { return "targets \(file), line \(line): \(problem)" }
        return "targets \(file): \(problem)"
    }
}
