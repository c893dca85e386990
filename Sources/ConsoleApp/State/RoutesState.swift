import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

/// The routes view's state (on the balancer in focus): the maps as last read, the route changes on record (for
/// fail back and undo) and the entry selected.
public struct RoutesState: Hashable, Sendable {
    /// The maps with their entries; nil until first read.
    public var maps: [RouteMapContents]?
    /// Why the last read failed, if it did.
    public var error: String?
    /// The route changes recorded on this balancer, oldest first.
    public var records: [RouteStore.Record] = []
    /// The entry selected (index into ``lines``).
    public var selected = 0
    /// When the maps were last read.
    public var readAt: Date?
    /// A read is in flight.
    public var reading = false

    /// Makes an empty state.
    public init() {}

    /// One map entry as the view lists it.
    public struct Line: Hashable, Sendable {
        /// The map it belongs to.
        public var map: MapReference
        /// Its key.
        public var key: String
        /// Its value (a backend, for a route).
        public var value: String

        /// Makes a line.
        public init(map: MapReference, key: String, value: String) {
            self.map = map
            self.key = key
            self.value = value
        }
    }

    /// Every entry of every map, in the balancer's order.
    public var lines: [Line] {
        (maps ?? []).flatMap { contents in
            contents.entries.map { Line(map: contents.map.reference, key: $0.key, value: $0.value) }
        }
    }

    /// The entry selected, if any.
    public var selectedLine: Line? {
        let all = lines
        return all.indices.contains(selected) ? all[selected] : nil
    }
}

/// What to do with the route record once a route plan verified (mirrors the command line's `RouteRunner`).
public enum RouteKeep: Hashable, Sendable {
    /// Record the change (undoable); a failover's `from` names it for fail back.
    case record(failoverFrom: String?)
    /// The plan restored the record with this id: remove it.
    case restored(id: String)
}

/// The routes view's input of a target backend: for one entry (switch it) or for every entry of a backend (fail
/// its routes over).
public struct RouteTargetInput: Hashable, Sendable {
    /// What the target is for.
    public enum Purpose: Hashable, Sendable {
        /// Point this entry at the backend typed.
        case set(RoutesState.Line)
        /// Move every entry that routes to this backend to the backend typed.
        case failover(from: String)
    }

    /// What the target is for.
    public var purpose: Purpose
    /// The backend typed so far.
    public var text: String
    /// Why the last Enter was refused.
    public var error: String?
}
