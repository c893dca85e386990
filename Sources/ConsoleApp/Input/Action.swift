/// Everything a key can do in the console. The raw values are the names used in keymap files.
public enum Action: String, Hashable, Sendable, CaseIterable {
    case moveUp = "move-up"
    case moveDown = "move-down"
    case pageUp = "page-up"
    case pageDown = "page-down"
    case top
    case bottom
    case collapse
    case expand
    case toggleGroup = "toggle-group"
    case collapseAll = "collapse-all"
    case expandAll = "expand-all"
    case filter
    case cancel
    case sortNext = "sort-next"
    case sortReverse = "sort-reverse"
    case help
    case detail
    case frontends
    case pause
    case faster
    case slower
    case refresh
    case quit
    case mark
    case markEverywhere = "mark-everywhere"
    case drain
    case ready
    case maint
    case weight
    case health
    case agent
    case killSessions = "kill-sessions"
    case undo
    case auditLog = "audit-log"
    case commandPalette = "command-palette"
    case rawPrompt = "raw-prompt"
    case events
    case failover
    case failback
    case redistribute
    case focus
    case reapply
    case makeConsistent = "make-consistent"
    case incident
    case routes
    case drill

    /// True for actions that change the balancer (disabled when read-only).
    public var isWrite: Bool {
        [
            .drain, .ready, .maint, .weight, .health, .agent, .killSessions, .undo, .failover, .failback, .redistribute,
            .reapply, .makeConsistent, .drill,
        ].contains(self)
    }

    /// What the action does, for the help screen when a keymap gives no text.
    public var defaultHelp: String {
        switch self {
        case .moveUp: "Move up"
        case .moveDown: "Move down"
        case .pageUp: "Page up"
        case .pageDown: "Page down"
        case .top: "Go to the first row"
        case .bottom: "Go to the last row"
        case .collapse: "Collapse the backend"
        case .expand: "Expand the backend"
        case .toggleGroup: "Collapse or expand the backend"
        case .collapseAll: "Collapse every backend"
        case .expandAll: "Expand every backend"
        case .filter: "Filter: text, state:down, be:NAME, addr:10.0."
        case .cancel: "Close the pane, or clear the filter"
        case .sortNext: "Sort servers by the next column"
        case .sortReverse: "Reverse the sort order"
        case .help: "Show or hide this help"
        case .detail: "Every field of the selected server or backend"
        case .frontends: "Switch between servers and frontends"
        case .pause: "Pause or resume refreshing"
        case .faster: "Refresh more often"
        case .slower: "Refresh less often"
        case .refresh: "Refresh now"
        case .quit: "Quit"
        case .mark: "Mark or unmark the server (actions apply to every marked server)"
        case .markEverywhere: "Mark this server name (or address) in every backend"
        case .drain: "Drain: no new sessions, current ones finish (confirm)"
        case .ready: "Ready: back in service"
        case .maint: "Maintenance: out of service (confirm)"
        case .weight: "Set the weight, with a preview of every server's share"
        case .health: "Force health down/up (optionally disabling checks)"
        case .agent: "Force the agent down/up"
        case .killSessions: "Kill the server's sessions (confirm)"
        case .undo: "Undo the last action (confirm)"
        case .auditLog: "Show the audit log: every action and the exact commands sent"
        case .commandPalette:
            "Command palette: :drain web1, :weight be/web2 50%, :failover be, :sort rate, :help (Tab completes)"
        case .rawPrompt: "Runtime API prompt (history, Tab completes names; read-only: show/get only)"
        case .events: "Events: DOWN/UP, admin changes, running on backups, flapping, queues, 5xx"
        case .failover: "Fail the backend over to its backups (confirm; states recorded)"
        case .failback: "Fail back: restore the states recorded at failover (confirm)"
        case .redistribute: "Redistribute the backend's traffic: even, by capacity, shed load"
        case .focus: "Fleet: all balancers → one alone → the next … (also :target NAME)"
        case .reapply: "Re-apply the manual changes a reload undid (confirm)"
        case .makeConsistent: "Fleet: bring the selected (or marked) drifting servers to the majority's state"
        case .incident: "Incident: mark its start (with a title) or its end, for `switchboard timeline`"
        case .drill: "Drill the selected backend's failover (inject, watch, restore, report); again: stop it"
        case .routes:
            "Routes: the maps' entries (key → backend) with each backend's status; switch, fail over, fail back, undo"
        }
    }
}
