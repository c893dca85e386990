import Foundation
import SwitchboardCore

/// The views of the console.
public enum View: Hashable, Sendable {
    /// Backends and servers.
    case servers
    /// Frontends.
    case frontends
}

/// A pane over the view.
public enum Overlay: Hashable, Sendable {
    /// The keymap's bindings, scrolled by `scroll` lines.
    case help(scroll: Int)
    /// Every field of a server or backend, scrolled by `scroll` lines.
    case detail(id: String, scroll: Int)
    /// The audit log, scrolled by `scroll` records from the newest.
    case log(scroll: Int)
    /// The raw prompt's transcript.
    case raw(scroll: Int)
    /// The events, newest first.
    case events(scroll: Int)
}

/// A row of the servers view.
public struct Row: Hashable, Sendable {
    /// What the row shows.
    public enum Kind: Hashable, Sendable {
        /// A backend's group row (index into the snapshot's backends).
        case backend(Int)
        /// A server row (backend index, server index).
        case server(Int, Int)
        /// A backend merged across the balancers in view (index into ``ConsoleModel/fleet``'s backends).
        case fleetBackend(Int)
        /// A server merged across the balancers in view (backend index, server index in the fleet view).
        case fleetServer(Int, Int)
    }

    /// What the row shows.
    public var kind: Kind
    /// `backend` or `backend/server`: stable across refreshes.
    public var id: String
}
