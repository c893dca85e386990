import FoundationEssentials
import SwitchboardCore

/// A postmortem's timeline: the balancers' events (from the timeline file), the operators' actions (from the audit
/// log, one entry per intent however many balancers it ran on) and the incident's marks, in time order, with a
/// summary. Pure: built from what was read, rendered as Markdown or encoded as JSON.
public struct Timeline: Sendable, Hashable, Codable {
    /// One line of the timeline.
    public struct Entry: Sendable, Hashable, Codable {
        /// Stable id: the audit intent or record id, the incident id, or `event-<time>-<n>`.
        public var id: String
        /// When (UTC, record timestamp format).
        public var time: String
        /// `action`, `incident-start`, `incident-end`, or the event kind (`server-down`, `reloaded`…).
        public var kind: String
        /// Who: `user@host` for actions and incident marks; nil for what the balancer did.
        public var actor: String?
        /// The balancers concerned, comma separated (nil when not known or not one).
        public var balancer: String?
        /// In words, as the Markdown line shows it.
        public var summary: String
        /// Audit record ids behind an action.
        public var references: [String]
        /// The rest: severity, intent, targets, outcome, commands…
        public var details: [String: String]
    }

    /// What the timeline covers and what it adds up to.
    public struct Summary: Sendable, Hashable, Codable {
        /// The incident's title, or a description of the window.
        public var title: String
        /// The incident's id, when the timeline is one incident's.
        public var incident: String?
        /// Start of the window.
        public var start: String
        /// End of the window (nil: still open).
        public var end: String?
        /// Seconds from start to end (nil while open).
        public var durationSeconds: Int?
        /// Backends named by events or actions.
        public var backends: [String]
        /// Servers named by events or actions.
        public var servers: [String]
        /// Actions taken (one per intent).
        public var actions: Int
        /// Actions verified on every balancer they concern.
        public var actionsVerified: Int
        /// Events recorded.
        public var events: Int
        /// 5xx alarms raised.
        public var errorAlarms: Int
        /// Requests failed (5xx answered by the frontends), when known: from the balancers' counters read at the
        /// incident's start and end.
        public var requestsFailed: Int?
        /// Requests received meanwhile, when known.
        public var requests: Int?
        /// Why the requests failed are not known (nil when they are).
        public var requestsFailedUnknown: String?
    }

    /// The summary.
    public var summary: Summary
    /// The entries, oldest first.
    public var entries: [Entry]
    /// The JSON form's version.
    public var schema = 1

    /// Builds the timeline of `[start, end]` (end nil: up to now and open) from everything read.
    public static func build(
        title: String, incident: Incident? = nil, start: Date, end: Date?, events: [BalancerEvent],
        records: [AuditRecord], incidents: [Incident] = []
    ) -> Timeline {
        func inside(_ date: Date) -> Bool {
            date >= start.addingTimeInterval(-0.001) && (end.map { date <= $0 } ?? true)
        }
        var entries: [(Date, Entry)] = []
        for mark in incidents {
            if inside(mark.start) {
                entries.append(
                    (
                        mark.start,
                        Entry(
                            id: mark.id, time: AuditRecord.timestamp(mark.start), kind: "incident-start",
                            actor: mark.startedBy, balancer: nil,
                            summary: "incident started by \(mark.startedBy)"
                                + (mark.title.isEmpty ? "" : ": \(mark.title)"),
                            references: [], details: ["title": mark.title])
                    ))
            }
            if let ended = mark.end, inside(ended) {
                entries.append(
                    (
                        ended,
                        Entry(
                            id: mark.id + "-end", time: AuditRecord.timestamp(ended), kind: "incident-end",
                            actor: mark.endedBy, balancer: nil, summary: "incident ended by \(mark.endedBy ?? "?")",
                            references: [], details: ["title": mark.title])
                    ))
            }
        }
        var backends = Set<String>(), servers = Set<String>()
        let actions = ActionGroup.groups(records.filter { !$0.dryRun && $0.intent != "raw" }).filter { group in
            AuditRecord.date(fromTimestamp: group.time).map(inside) ?? false
        }
        var verified = 0
        for group in actions {
            if group.verified { verified += 1 }
            for target in group.targets {
                backends.insert(target.backend)
                servers.insert(target.description)
            }
            entries.append((AuditRecord.date(fromTimestamp: group.time)!, group.entry))
        }
        var eventCount = 0, alarms = 0
        // The same event seen on several balancers within a few seconds is one line naming them all; a change an
        // operator action made (its admin, weight or check change on its targets, just after it) is that action.
        var merged: [String: (index: Int, time: Date)] = [:]
        let changes: Set<BalancerEvent.Kind> = [.adminChanged, .weightChanged, .checksChanged, .healthForced]
        for event in events.sorted(by: { $0.time < $1.time })
        where inside(event.time) && event.kind != .operatorAction {
            if changes.contains(event.kind), let server = event.server,
                actions.contains(where: {
                    $0.caused(server: ServerID(backend: event.backend, name: server), at: event.time)
                })
            {
                continue
            }
            let key = "\(event.kind.rawValue)|\(event.backend)|\(event.server ?? "")|\(event.message)"
            if let known = merged[key], event.time.timeIntervalSince(known.time) <= 5, let balancer = event.balancer {
                var entry = entries[known.index].1
                let names = (entry.balancer?.components(separatedBy: ", ") ?? []) + [balancer]
                entry.balancer = Array(Set(names)).sorted().joined(separator: ", ")
                entry.summary = event.message + " on \(entry.balancer ?? balancer)"
                entries[known.index].1 = entry
                continue
            }
            eventCount += 1
            if event.kind == .errorRate { alarms += 1 }
            if !event.backend.isEmpty { backends.insert(event.backend) }
            if let server = event.server { servers.insert("\(event.backend)/\(server)") }
            var details = ["severity": event.severity.rawValue, "message": event.message]
            if !event.backend.isEmpty { details["backend"] = event.backend }
            if let server = event.server { details["server"] = server }
            merged[key] = (entries.count, event.time)
            entries.append(
                (
                    event.time,
                    Entry(
                        id: "event-\(IncidentLog.compact(event.time))-\(eventCount)",
                        time: AuditRecord.timestamp(event.time), kind: event.kind.rawValue, actor: nil,
                        balancer: event.balancer, summary: event.message + (event.balancer.map { " on \($0)" } ?? ""),
                        references: [], details: details)
                ))
        }
        let actionCount = actions.count
        // In time order; at the same time, as added (incident marks, then actions, then what they caused).
        entries = entries.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        let duration = end.map { Int($0.timeIntervalSince(start).rounded()) }
        var counted: RequestCounters?
        var unknown: String?
        if let incident, incident.end != nil {
            switch RequestCounters.between(incident.startCounters, incident.endCounters) {
            case .success(let counters): counted = counters
            case .failure(let reason): unknown = reason.description
            }
        } else {
            unknown = incident == nil ? "only an incident's timeline counts them" : "the incident is still open"
        }
        return Timeline(
            summary: Summary(
                title: title, incident: incident?.id, start: AuditRecord.timestamp(start),
                end: end.map(AuditRecord.timestamp), durationSeconds: duration, backends: backends.sorted(),
                servers: servers.sorted(), actions: actionCount, actionsVerified: verified, events: eventCount,
                errorAlarms: alarms, requestsFailed: counted.map(\.failed), requests: counted?.requests,
                requestsFailedUnknown: unknown),
            entries: entries.map(\.1))
    }
}

/// The audit records of one intent: every balancer's outcome (or an attempt that has none), read as one action.
struct ActionGroup {
    var key: String
    var records: [AuditRecord]
    /// When the operator acted: the first attempt record's time (written before the first command), else the
    /// first record's.
    var time: String

    /// Groups by fleet intent id, else by attempt id; an attempt whose outcome is on file is dropped for it.
    static func groups(_ records: [AuditRecord]) -> [ActionGroup] {
        let outcomes = Set(records.filter { !$0.isAttempt }.compactMap(\.id))
        var order: [String] = []
        var byKey: [String: [AuditRecord]] = [:]
        var started: [String: String] = [:]
        for (index, record) in records.enumerated() {
            let key = record.intentID ?? record.id ?? "record-\(index)"
            if record.isAttempt { started[key] = min(started[key] ?? record.time, record.time) }
            if record.isAttempt, let id = record.id, outcomes.contains(id) { continue }
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(record)
        }
        return order.map { key in
            let records = byKey[key]!
            return ActionGroup(key: key, records: records, time: started[key] ?? records[0].time)
        }
    }

    var first: AuditRecord { records[0] }
    var targets: [ServerID] {
        var seen = Set<ServerID>()
        return records.flatMap(\.targets).filter { seen.insert($0).inserted }
    }
    var verified: Bool { records.allSatisfy { !$0.isAttempt && $0.verified } }

    /// True when `server`'s change seen at `time` is this action's doing: one of its targets, from just before
    /// it was recorded (the outcome is written after verification) to a few seconds after.
    func caused(server: ServerID, at time: Date) -> Bool {
        guard targets.contains(server), let recorded = AuditRecord.date(fromTimestamp: self.time) else { return false }
        return time >= recorded.addingTimeInterval(-1) && time <= recorded.addingTimeInterval(15)
    }

    /// A balancer's name in a record: its node name, unless the records of this intent share one (several
    /// balancers on one host name, as in a lab), then its socket.
    var balancers: [String] {
        let nodes = records.map(\.balancer.node)
        let distinct = Set(nodes).count == records.count && !nodes.contains("")
        return Set(records.map { label($0, distinct: distinct) }).sorted()
    }

    private func label(_ record: AuditRecord, distinct: Bool) -> String {
        distinct ? record.balancer.node : record.socket
    }

    /// `drained be_web/web1`, `set be_web/web2 to weight 50%`…
    var phrase: String {
        let names = targets.map(\.description).joined(separator: ", ")
        let intent = first.intent
        switch intent {
        case "drain": return "drained \(names)"
        case "ready": return "made \(names) ready"
        case "maint": return "put \(names) in MAINT"
        case "undo": return "undid the last action on \(names)"
        case "kill sessions": return "killed the sessions of \(names)"
        default:
            if intent.hasPrefix("weight ") { return "set \(names) to \(intent)" }
            if intent.hasPrefix("failover ") { return "failed over \(intent.dropFirst(9)) (\(names))" }
            if intent.hasPrefix("failback ") { return "failed back \(intent.dropFirst(9)) (\(names))" }
            if intent.hasPrefix("health ") || intent.hasPrefix("agent ") { return "forced \(intent) on \(names)" }
            return names.isEmpty || intent.contains(names) ? intent : "\(intent) (\(names))"
        }
    }

    /// How it ended, over every balancer.
    var result: String {
        if records.contains(where: \.isAttempt) { return "outcome unknown — no outcome on record" }
        if verified { return "verified" }
        let failed = records.filter { !$0.verified }
        return failed.map { $0.error.map { "\($0): " } ?? "" }.map { $0 + (failed.first?.outcome ?? "") }.first
            .map { "NOT verified: " + $0 } ?? "NOT verified"
    }

    var entry: Timeline.Entry {
        let actor = "\(first.user)@\(first.host)"
        let where_ = balancers.joined(separator: ", ")
        var details = [
            "intent": first.intent, "targets": targets.map(\.description).joined(separator: ","),
            "outcome": records.map(\.outcome).joined(separator: " | "),
        ]
        let distinct = Set(records.map(\.balancer.node)).count == records.count
        details["commands"] = records.flatMap { record in
            record.commands.map { "\(label(record, distinct: distinct)): \($0.command)" }
        }.joined(separator: "\n")
        return Timeline.Entry(
            id: key, time: time, kind: "action", actor: actor, balancer: where_,
            summary: "\(actor) \(phrase) on \(where_) (\(result))", references: records.compactMap(\.id),
            details: details)
    }
}
