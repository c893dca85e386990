import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// `switchboard incident start|end|show`: marks an incident's start and end in `incidents.jsonl` beside the audit
/// log, so `switchboard timeline --incident` can write its timeline.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "Mark the start and end of an incident (for its timeline).",
        subcommands: [Start.self, End.self, Show.self], defaultSubcommand: Show.self)

    /// Where the incident marks are kept.
    struct Files: ParsableArguments {
        @Option(name: .long, help: "Audit log file; incidents.jsonl is beside it.")
        var auditLog: String?

        var log: IncidentLog {
            IncidentLog(besides: AuditLog(path: auditLog ?? AuditLog.defaultPath(), createsDirectories: true))
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark the start of an incident (refused while one is open).")

        @Option(name: .long, help: "What users report, in a few words.")
        var title = ""

        @OptionGroup var files: Files
        @OptionGroup(title: "Balancers whose request counters are read (for the timeline's requests failed)")
        var balancers: SocketOptions

        func validate() throws {
            guard title.count <= 200, !title.contains(where: { $0.isNewline }) else {
                throw ValidationError("--title takes one line of at most 200 characters")
            }
        }

        func run() async throws {
            try await ExitCodes.reporting {
                let counters = await IncidentCommand.counters(balancers)
                let incident = try files.log.start(title: title, counters: counters)
                print(
                    "incident \(incident.id) started at \(AuditRecord.timestamp(incident.start))"
                        + (title.isEmpty ? "" : ": \(title)"))
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark the end of the open incident.")

        @OptionGroup var files: Files
        @OptionGroup(title: "Balancers whose request counters are read (the same as at the start)")
        var balancers: SocketOptions

        func run() async throws {
            try await ExitCodes.reporting {
                let counters = await IncidentCommand.counters(balancers)
                let incident = try files.log.end(counters: counters)
                let seconds = Int((incident.end ?? Date()).timeIntervalSince(incident.start).rounded())
                print(
                    "incident \(incident.id) ended at \(AuditRecord.timestamp(incident.end ?? Date())) after "
                        + Timeline.duration(seconds))
            }
        }
    }

    /// The request counters of the balancers named with --socket, --target or --group (none named: none read),
    /// keyed by socket; a balancer that cannot be read is named on stderr and left out.
    static func counters(_ options: SocketOptions) async -> [String: RequestCounters] {
        guard !options.socket.isEmpty || !options.targetNames.isEmpty || options.group != nil else { return [:] }
        let targets: [BalancerTarget]
        do {
            targets = try await options.resolveTargets()
        } catch {
            StandardStream.error.write("switchboard: request counters not read: \(error)\n")
            return [:]
        }
        var counters: [String: RequestCounters] = [:]
        for target in targets {
            let driver = options.driver(for: target, session: .oneShot)
            do {
                let snapshot = try await driver.snapshot()
                if let read = RequestCounters(snapshot) { counters[snapshot.info.socket] = read }
            } catch {
                StandardStream.error.write(
                    bytes:
                        Data("switchboard: \(target.name): request counters not read: \(error)\n".utf8))
            }
            await driver.close()
        }
        if !counters.isEmpty {
            print("request counters read on \(counters.keys.sorted().joined(separator: ", "))")
        }
        return counters
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the incidents on file (the open one last).")

        @OptionGroup var files: Files

        func run() async throws {
            try await ExitCodes.reporting {
                let incidents = try files.log.incidents()
                if incidents.isEmpty { print("no incident on file (\(files.log.path))") }
                for incident in incidents {
                    let end = incident.end.map { "ended \(AuditRecord.timestamp($0))" } ?? "OPEN"
                    print(
                        "\(incident.id)  started \(AuditRecord.timestamp(incident.start)) by \(incident.startedBy)  "
                            + "\(end)  \(incident.title)")
                }
            }
        }
    }
}

/// `switchboard timeline`: the events and operator actions of an incident (or a time window) as a postmortem's
/// timeline, in Markdown or JSON.
struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Write the events and actions of an incident or a time window as a postmortem timeline.",
        discussion: """
            Events come from timeline.jsonl (written by the console and `switchboard events --follow`), actions \
            from the audit log, incident marks from incidents.jsonl — all beside the audit log. Without --since or \
            --incident: the open incident, else the last 24 hours. TIME is ISO 8601 (2026-12-02T08:35:00Z) or an \
            age (90m, 2h, 1d).
            """)

    @Option(name: .long, help: "Start of the window (ISO 8601 or an age: 90m, 2h, 1d).")
    var since: String?

    @Option(name: .long, help: "End of the window (default: now).")
    var until: String?

    @Flag(name: .long, help: "The open incident, else the last one marked.")
    var incident = false

    @Option(name: .long, help: "This incident (see switchboard incident show).")
    var id: String?

    @Option(name: .long, help: "markdown or json.")
    var format = "markdown"

    @Option(name: .long, help: "Audit log file; the timeline and incidents are beside it.")
    var auditLog: String?

    func validate() throws {
        guard ["markdown", "json"].contains(format) else { throw ValidationError("--format takes markdown or json") }
        if since != nil && (incident || id != nil) {
            throw ValidationError("--since and --incident/--id pick the window two ways: give one")
        }
        if let since { _ = try Self.time(since) }
        if let until { _ = try Self.time(until) }
    }

    /// An ISO 8601 time, or an age before now (`90m`, `2h`, `1d`, `30s`).
    static func time(_ text: String, now: Date = Date()) throws -> Date {
        if let date = AuditRecord.date(fromTimestamp: text) { return date }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count >= 0,
            count <= 3650
        {
            return now.addingTimeInterval(-count * unit)
        }
        throw ValidationError("'\(text)' is not a time: give ISO 8601 (2026-12-02T08:35:00Z) or an age (90m, 2h, 1d)")
    }

    func run() async throws {
        try await ExitCodes.reporting {
            let audit = AuditLog(path: auditLog ?? AuditLog.defaultPath())
            let incidents = try IncidentLog(besides: audit).incidents()
            let now = Date()
            var chosen: Incident?
            if let id {
                guard let found = incidents.first(where: { $0.id == id }) else {
                    throw SwitchboardError(
                        .invalidValue,
                        "no incident \(id) on file; incidents: "
                            + (incidents.isEmpty ? "none" : incidents.map(\.id).joined(separator: ", ")))
                }
                chosen = found
            } else if incident || since == nil {
                chosen = incidents.last { $0.end == nil } ?? (incident ? incidents.last : nil)
                if incident && chosen == nil {
                    throw SwitchboardError(.invalidValue, "no incident on file (mark one: switchboard incident start)")
                }
            }
            let start =
                try chosen?.start ?? since.map { try Self.time($0, now: now) } ?? now.addingTimeInterval(-86_400)
            let end = try until.map { try Self.time($0, now: now) } ?? chosen?.end
            let title =
                chosen.map { $0.title.isEmpty ? $0.id : $0.title }
                ?? "\(AuditRecord.timestamp(start)) to \(end.map(AuditRecord.timestamp) ?? "now")"
            let timeline = Timeline.build(
                title: title, incident: chosen, start: start, end: end,
                events: try TimelineLog(besides: audit).events(), records: try audit.records().records,
                incidents: incidents)
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                StandardStream.output.write(bytes: try encoder.encode(timeline) + Data("\n".utf8))
            } else {
                StandardStream.output.write(timeline.markdown())
            }
        }
    }
}
