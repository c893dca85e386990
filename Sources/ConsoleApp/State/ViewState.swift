import FoundationEssentials
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
    case detail(id: RowID, scroll: Int)
    /// The audit log, scrolled by `scroll` records from the newest.
    case log(scroll: Int)
    /// The raw prompt's transcript.
    case raw(scroll: Int)
    /// The events, newest first.
    case events(scroll: Int)
    /// The routes (maps) of the balancer in focus; the selection lives in ``ConsoleModel/routes``.
    case routes
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
    /// The backend or server shown: stable across refreshes.
    public var id: RowID
}

/// What a row of the servers view shows, by identity: a backend, or one server of it. In the fleet view
/// the same id names that backend or server on every balancer in view.
public enum RowID: Hashable, Sendable, CustomStringConvertible {
    /// A backend, by name.
    case backend(String)
    /// A server.
    case server(ServerID)

    /// The backend the row belongs to.
    public var backend: String {
        switch self {
        case .backend(let name): name
        case .server(let id): id.backend
        }
    }

    /// The server, for a server row.
    public var server: ServerID? {
        if case .server(let id) = self { return id }
        return nil
    }

    /// `backend` or `backend/server`.
    public var description: String {
        switch self {
        case .backend(let name): name
        case .server(let id): id.description
        }
    }
}
