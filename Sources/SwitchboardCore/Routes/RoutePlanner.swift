/// Plans route changes on one balancer from its maps and its snapshot: switch an entry to another backend, add or
/// remove one, fail every route of a backend over to another, and restore recorded changes. Pure: nothing is sent.
public enum RoutePlanner {
    /// The map `reference` names among `maps`, or an error listing the maps there are.
    public static func map(_ reference: MapReference, in maps: [RouteMapContents]) throws -> RouteMapContents {
        guard let found = maps.first(where: { reference.names($0.map) }) else {
            let known = maps.map { $0.map.reference.value }
            throw SwitchboardError(
                .invalidName,
                "the balancer has no map \(reference)"
                    + (known.isEmpty ? " (it has no map at all)" : "; it has \(known.joined(separator: ", "))")
                    + " — nothing was sent")
        }
        return found
    }

    /// `set map`: the entry `key` of `map` to `backend`.
    public static func set(
        _ reference: MapReference, key: String, to backend: String, maps: [RouteMapContents],
        snapshot: BalancerSnapshot
    ) throws -> RoutePlan {
        let contents = try map(reference, in: maps)
        _ = try RouteToken(key)
        guard let before = contents.value(of: key) else {
            throw SwitchboardError(
                .invalidValue,
                "\(reference) has no entry \(key): add it with `switchboard route add \(reference) \(key) \(backend)`; "
                    + "nothing was sent")
        }
        guard before != backend else {
            throw SwitchboardError(
                .alreadyAsAsked, "\(key) in \(reference) already routes to \(backend); nothing was sent")
        }
        return try plan(
            "route set \(reference) \(key) \(backend)",
            [RouteChange(map: contents.map.reference, key: key, before: before, after: backend)], snapshot: snapshot)
    }

    /// `add map`: a new entry `key` → `backend` (refused when `key` exists: HAProxy would add a second entry that
    /// lookups never reach).
    public static func add(
        _ reference: MapReference, key: String, to backend: String, maps: [RouteMapContents],
        snapshot: BalancerSnapshot
    ) throws -> RoutePlan {
        let contents = try map(reference, in: maps)
        _ = try RouteToken(key)
        if let existing = contents.value(of: key) {
            throw SwitchboardError(
                .invalidValue,
                "\(reference) already has \(key) → \(existing) (a second entry would never be looked up): use "
                    + "`switchboard route set`; nothing was sent")
        }
        return try plan(
            "route add \(reference) \(key) \(backend)",
            [RouteChange(map: contents.map.reference, key: key, before: nil, after: backend)], snapshot: snapshot)
    }

    /// `del map`: removes the entry `key`.
    public static func delete(_ reference: MapReference, key: String, maps: [RouteMapContents]) throws -> RoutePlan {
        let contents = try map(reference, in: maps)
        _ = try RouteToken(key)
        guard let before = contents.value(of: key) else {
            throw SwitchboardError(.invalidValue, "\(reference) has no entry \(key); nothing was sent")
        }
        return RoutePlan(
            label: "route del \(reference) \(key)",
            changes: [RouteChange(map: contents.map.reference, key: key, before: before, after: nil)], targets: [],
            warnings: ["requests for \(key) fall through to the next rule (often the default backend)"])
    }

    /// Every entry of every map that routes to `from` switched to `to`, in one plan.
    public static func failover(
        from: String, to: String, maps: [RouteMapContents], snapshot: BalancerSnapshot
    ) throws -> RoutePlan {
        guard from != to else {
            throw SwitchboardError(.invalidValue, "routes cannot fail over from \(from) to itself; nothing was sent")
        }
        let changes = maps.flatMap { contents in
            contents.entries.filter { $0.value == from }.map {
                RouteChange(map: contents.map.reference, key: $0.key, before: from, after: to)
            }
        }
        guard !changes.isEmpty else {
            throw SwitchboardError(
                .alreadyAsAsked,
                "no map entry routes to \(from)"
                    + (maps.isEmpty ? " (the balancer has no map)" : " (see `switchboard routes`)")
                    + "; nothing was sent")
        }
        return try plan("failover-routes \(from) --to \(to)", changes, snapshot: snapshot)
    }

    /// The recorded `changes` undone: each entry put back to its `before`, only where it still holds the recorded
    /// `after` (an entry changed since by someone else is left alone and named).
    public static func restore(
        _ changes: [RouteChange], label: String, maps: [RouteMapContents], snapshot: BalancerSnapshot
    ) throws -> RoutePlan {
        var back: [RouteChange] = []
        var leftAlone: [String] = []
        for change in changes {
            let current = maps.first { change.map.names($0.map) }?.value(of: change.key)
            if current == change.after {
                back.append(change.reversed)
            } else if current != change.before {
                leftAlone.append("\(change.key) (now \(current ?? "absent"), set to \(change.after ?? "absent") then)")
            }
        }
        guard !back.isEmpty else {
            throw SwitchboardError(
                .alreadyAsAsked,
                "nothing to restore: "
                    + (leftAlone.isEmpty
                        ? "every entry is already as recorded before"
                        : "changed since by someone else: "
                            + leftAlone.joined(separator: ", ")) + "; nothing was sent")
        }
        var plan = try plan(label, back, snapshot: snapshot)
        if !leftAlone.isEmpty {
            plan.warnings.append("left alone, changed since: " + leftAlone.joined(separator: ", "))
        }
        return plan
    }

    /// The recorded route changes still in force that the maps no longer show — a reload reloads the map files and
    /// forgets runtime changes — as one plan putting them back; nil when none was lost. An entry now holding neither
    /// the recorded value nor the one before it was changed by someone else: it is left alone and named.
    public static func reapply(
        _ changes: [RouteChange], maps: [RouteMapContents], snapshot: BalancerSnapshot
    ) throws -> RoutePlan? {
        // Several recorded changes of one entry fold into one: its first `before` and its last `after`.
        var folded: [RouteChange] = []
        for change in changes {
            if let index = folded.firstIndex(where: { $0.map == change.map && $0.key == change.key }) {
                folded[index].after = change.after
            } else {
                folded.append(change)
            }
        }
        var lost: [RouteChange] = []
        var superseded: [String] = []
        for change in folded where change.before != change.after {
            let current = maps.first { change.map.names($0.map) }?.value(of: change.key)
            guard current != change.after else { continue }
            if current == change.before {
                lost.append(RouteChange(map: change.map, key: change.key, before: current, after: change.after))
            } else {
                superseded.append("\(change.key) (now \(current ?? "absent"))")
            }
        }
        guard !lost.isEmpty else { return nil }
        var plan = try plan("reapply routes after reload", lost, snapshot: snapshot)
        if !superseded.isEmpty {
            plan.warnings.append("left alone, changed since: " + superseded.joined(separator: ", "))
        }
        return plan
    }

    /// The changes of `plan` whose entry no longer holds the value planned on (empty: the plan still stands).
    public static func conflicts(_ plan: RoutePlan, maps: [RouteMapContents]) -> [String] {
        plan.changes.compactMap { change in
            let current = maps.first { change.map.names($0.map) }?.value(of: change.key)
            guard current != change.before else { return nil }
            return "\(change.key) in \(change.map) is now \(current ?? "absent"), was \(change.before ?? "absent")"
        }
    }

    /// A plan whose new values are backends: each must exist; one with no server serving needs a typed
    /// confirmation.
    static func plan(_ label: String, _ changes: [RouteChange], snapshot: BalancerSnapshot) throws -> RoutePlan {
        var targets: [BackendReadiness] = []
        var warnings: [String] = []
        var typed: String?
        for backend in Set(changes.compactMap(\.after)).sorted() {
            _ = try RouteToken(backend, role: "value")
            guard let readiness = BackendReadiness(backend, in: snapshot) else {
                throw SwitchboardError(
                    .noSuchBackend,
                    "the balancer has no backend \(backend) to route to — list them with `switchboard status`; "
                        + "nothing was sent")
            }
            targets.append(readiness)
            if readiness.serving == 0 {
                warnings.append(
                    "\(backend) has no server serving: every request routed there would fail (503)")
                typed = backend
            }
        }
        return RoutePlan(label: label, changes: changes, targets: targets, warnings: warnings, typedConfirmation: typed)
    }
}
