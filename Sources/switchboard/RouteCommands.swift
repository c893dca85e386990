import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps
import Synchronization

/// `switchboard routes`: every map (and ACL) the balancer has, each entry with the status of the backend it names.
struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Show the balancer's maps (routes: key → backend, with that backend's status) and ACLs.")
    @OptionGroup var socket: SocketOptions
    @Flag(name: .long, help: "Print them as JSON.") var json = false

    /// The JSON shape: maps with their entries (and the backend each value names, when it is one), and the ACLs.
    struct Document: Encodable {
        struct Entry: Encodable {
            var key: String
            var value: String
            var backend: BackendReadiness?
        }
        struct Map: Encodable {
            var id: Int
            var file: String
            var entries: [Entry]
        }
        var maps: [Map]
        var acls: [RouteMap]
    }

    func run() async throws {
        try await ExitCodes.reporting {
            let driver = try await socket.makeDriver()
            defer { Task { await driver.close() } }
            let snapshot = try await driver.snapshot()
            let maps = try await RouteExecutor.readMaps(driver)
            let acls = try RouteMap.list(parsing: try await driver.execute(.showACLs).reply)
            let document = Document(
                maps: maps.map { contents in
                    Document.Map(
                        id: contents.map.id, file: contents.map.file,
                        entries: contents.entries.map {
                            Document.Entry(
                                key: $0.key, value: $0.value, backend: BackendReadiness($0.value, in: snapshot))
                        })
                }, acls: acls)
            if json {
                RouteRunner.printJSON(document)
                return
            }
            print(Self.render(document))
        }
    }

    static func render(_ document: Document) -> String {
        var lines: [String] = []
        if document.maps.isEmpty { lines.append("no map loaded (routes by map need `map(FILE)` in haproxy.cfg)") }
        for map in document.maps {
            lines.append("MAP #\(map.id) \(map.file.isEmpty ? "(no file)" : map.file)  \(map.entries.count) entries")
            let keyWidth = max(3, map.entries.map(\.key.count).max() ?? 0)
            let valueWidth = max(5, map.entries.map(\.value.count).max() ?? 0)
            lines.append(
                "  " + "KEY".padded(to: keyWidth) + "    "
                    + "VALUE".padded(to: valueWidth) + "  BACKEND NOW")
            for entry in map.entries {
                let now =
                    entry.backend.map {
                        "\($0.serving)/\($0.servers) serving, \($0.rate)/s" + ($0.serving == 0 ? "  NONE SERVING" : "")
                    }
                    ?? "(not a backend)"
                lines.append(
                    "  " + entry.key.padded(to: keyWidth) + " →  "
                        + entry.value.padded(to: valueWidth) + "  " + now)
            }
        }
        if !document.acls.isEmpty {
            lines.append("ACLS (read-only)")
            for acl in document.acls {
                lines.append(
                    "  #\(acl.id) \(acl.file.isEmpty ? "" : acl.file + " ")\(acl.description)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// `switchboard route set|add|del|undo`: one map entry, previewed, confirmed, compare-and-set, read back, audited.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Change one route (map entry): set, add, del, or undo the last change.",
        discussion: """
            MAP is the map's file as `switchboard routes` lists it, or #ID. Runtime map changes are lost on reload \
            unless the map file is updated too.
            """,
        subcommands: [Set.self, Add.self, Delete.self, Undo.self])

    /// `route set MAP KEY BACKEND`.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Point an existing entry at another backend.")
        @Argument(help: "The map (file or #ID).") var map: String
        @Argument(help: "The entry's key (e.g. a host).") var key: String
        @Argument(help: "The backend to route to.") var backend: String
        @OptionGroup var options: RouteOptions

        func run() async throws {
            let reference = try await ExitCodes.reporting { try MapReference(parsing: map) }
            let key = self.key, backend = self.backend
            try await RouteRunner.run(options, keep: { _ in .record(failoverFrom: nil) }) { maps, snapshot, _, _ in
                try RoutePlanner.set(reference, key: key, to: backend, maps: maps, snapshot: snapshot)
            }
        }
    }

    /// `route add MAP KEY BACKEND`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an entry (refused when the key exists).")
        @Argument(help: "The map (file or #ID).") var map: String
        @Argument(help: "The new entry's key.") var key: String
        @Argument(help: "The backend to route to.") var backend: String
        @OptionGroup var options: RouteOptions

        func run() async throws {
            let reference = try await ExitCodes.reporting { try MapReference(parsing: map) }
            let key = self.key, backend = self.backend
            try await RouteRunner.run(options, keep: { _ in .record(failoverFrom: nil) }) { maps, snapshot, _, _ in
                try RoutePlanner.add(reference, key: key, to: backend, maps: maps, snapshot: snapshot)
            }
        }
    }

    /// `route del MAP KEY`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "del", abstract: "Remove an entry.")
        @Argument(help: "The map (file or #ID).") var map: String
        @Argument(help: "The entry's key.") var key: String
        @OptionGroup var options: RouteOptions

        func run() async throws {
            let reference = try await ExitCodes.reporting { try MapReference(parsing: map) }
            let key = self.key
            try await RouteRunner.run(options, keep: { _ in .record(failoverFrom: nil) }) { maps, _, _, _ in
                try RoutePlanner.delete(reference, key: key, maps: maps)
            }
        }
    }

    /// `route undo`: the newest recorded route change on this balancer, reverted where nobody changed it since.
    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revert the newest route change recorded on this balancer (entries changed since are left alone)."
        )
        @OptionGroup var options: RouteOptions

        func run() async throws {
            let found = LockedRecordID()
            try await RouteRunner.run(options, keep: { _ in .restored(id: found.value) }) {
                maps, snapshot, store, socket in
                guard let record = try store.latest(socket: socket) else {
                    throw SwitchboardError(.alreadyAsAsked, "no route change on record for \(socket); nothing was sent")
                }
                found.value = record.id
                return try RoutePlanner.restore(
                    record.changes, label: "undo of \(record.label)", maps: maps, snapshot: snapshot)
            }
        }
    }
}

/// `switchboard failover-routes FROM --to TO`: every entry routing to FROM moved to TO in one step.
struct FailoverRoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover-routes",
        abstract: "Move every route (map entry) that points at a backend to another backend, in one step.",
        discussion: "`failback-routes FROM` restores exactly the entries it changed.")
    @Argument(help: "The backend the routes point at now.") var from: String
    @Option(name: .long, help: "The backend to route to instead.") var to: String
    @OptionGroup var options: RouteOptions

    func run() async throws {
        let from = self.from, to = self.to
        try await RouteRunner.run(options, keep: { _ in .record(failoverFrom: from) }) { maps, snapshot, _, _ in
            try RoutePlanner.failover(from: from, to: to, maps: maps, snapshot: snapshot)
        }
    }
}

/// `switchboard failback-routes FROM`: the entries the last `failover-routes FROM` changed, put back.
struct FailbackRoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failback-routes",
        abstract: "Put back exactly the routes the last failover-routes of a backend changed.")
    @Argument(help: "The backend whose routes were failed over.") var from: String
    @OptionGroup var options: RouteOptions

    func run() async throws {
        let from = self.from
        let found = LockedRecordID()
        try await RouteRunner.run(options, keep: { _ in .restored(id: found.value) }) { maps, snapshot, store, socket in
            guard let record = try store.failover(socket: socket, from: from) else {
                throw SwitchboardError(
                    .alreadyAsAsked, "no failover of \(from)'s routes on record for \(socket); nothing was sent")
            }
            found.value = record.id
            return try RoutePlanner.restore(
                record.changes, label: "failback-routes \(from)", maps: maps, snapshot: snapshot)
        }
    }
}

/// The id of the record a restore plan was made from, handed from the planning closure to the keeping one.
final class LockedRecordID: Sendable {
    private let storage = Mutex("")
    var value: String {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
