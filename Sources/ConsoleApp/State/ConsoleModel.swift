import FoundationEssentials
import SwitchboardCore
import SwitchboardOps
import TerminalUI

/// Everything the console shows and remembers, as a value. `update` changes it; `render` draws it.
/// No sockets, clocks, files or ncurses in here: time arrives in messages, I/O leaves as effects.
public struct ConsoleModel: Sendable, Equatable {
    /// Terminal size in cells.
    public var width: Int
    /// Terminal size in cells.
    public var height: Int
    /// Every balancer the console watches, in the order given, each with its own snapshot and refresh loop.
    public var balancers: [BalancerState]
    /// Which balancers the views show.
    public var focus: BalancerFocus = .all
    /// The targets file's groups, for focusing one (`:target NAME` takes a balancer or a group).
    public var groups: [String: [BalancerID]] = [:]
    /// The merged pools of the balancers in focus (fleet view only; empty on one balancer).
    public private(set) var fleet = FleetView()
    /// A balancer in the fleet view has a new snapshot not merged yet: merged at the next tick, so 20
    /// balancers refreshing once a second cost at most four merges a second, not twenty.
    public private(set) var fleetNeedsMerge = false
    /// When the fleet view was last merged: new snapshots are merged at most once per refresh interval (every
    /// balancer has refreshed about once by then), so drift shows within two refreshes at the cost of one merge.
    public private(set) var fleetMergedAt: Date?
    /// The current time, as last told by a tick.
    public var now: Date
    /// Refresh interval.
    public var interval: Duration
    /// True when the operator paused refreshing.
    public var paused = false
    /// Servers or frontends.
    public var view: View = .servers
    /// Help or detail pane over the view.
    public var overlay: Overlay?
    /// Collapsed backends by name.
    public var collapsed: Set<String> = []
    /// The selected row's id, kept across refreshes.
    public var selectedID: RowID?
    /// The selected row's position in ``rows``.
    public var cursor = 0
    /// The first row shown.
    public var scroll = 0
    /// The filter in force.
    public var filter = Filter("")
    /// The filter being typed, when the filter prompt is open.
    public var filterInput: String?
    /// The sort column for servers.
    public var sort: SortColumn = .none
    /// Reverse the sort.
    public var sortDescending = true
    /// Key bindings.
    public var keymap: Keymap
    /// Read-only: set by `--read-only` or when the socket's level is below admin.
    public var readOnlyRequested: Bool
    /// A message for the footer, with when it expires.
    public var message: FooterMessage?
    /// Unicode or ASCII glyphs (ASCII when the locale is not UTF-8).
    public var glyphs: GlyphSet
    /// False when `NO_COLOR` is set.
    public var useColor: Bool
    /// The rows of the servers view after filter, sort and collapse.
    public private(set) var rows: [Row] = []
    /// True once the operator asked to quit.
    public var quitRequested = false
    /// Servers marked for the next action.
    public var marked: Set<ServerID> = []
    /// The open dialog, if any.
    public var dialog: Dialog?
    /// A fleet action asked for while some balancer in view was still being read again after the last action:
    /// planned (and its preview opened) once they have all answered; any key cancels it.
    public var pendingFleetAction: PendingFleetAction?
    /// The label of the action being sent and verified.
    public var actionInFlight: String?
    /// A ramped return in progress (``RampProgress``).
    public var ramp: RampProgress?
    /// The audit log's records, newest last, when the log view asked for them.
    public var auditRecords: [AuditRecord] = []
    /// The raw Runtime API prompt: the line being typed, its history and its transcript.
    public var prompt = RawPrompt()
    /// The `:` command palette.
    public var commandPalette = PaletteInput()
    /// Clicks select rows, a double click opens the detail, the wheel scrolls, a footer hint runs its key.
    /// Off with `--no-mouse` or `mouse = false` in a keymap (the terminal's own selection then works).
    public var mouseEnabled = true
    /// The last left click on a row, to tell a double click.
    public var lastClick: MouseClick?
    /// A drain being watched: sessions left counted down, optionally MAINT at zero or at the deadline.
    public var drainWatch: DrainWatch?
    /// A fleet-wide drain being watched (``FleetDrainWatch``).
    public var fleetDrainWatch: FleetDrainWatch?
    /// Per balancer, the manual changes its last reload undid (from the audit log), until re-applied.
    public var lostChanges: [BalancerID: [LostChange]] = [:]
    /// The incident marked open in the incident log (beside the audit log), shown in the header.
    public var openIncident: Incident?
    /// The drill running from the console, if any.
    public var runningDrill: RunningDrill?
    /// The training scenario being played (`switchboard demo --scenario`), shown in the header.
    public var scenario: ScenarioClock?
    /// The theme's colours (`--theme`); unused when ``useColor`` is off.
    public var palette: Palette = .standard
    /// The routes view (maps of the balancer in focus).
    public var routes = RoutesState()
    /// Events seen this session, oldest first (the last 500).
    public var events: [BalancerEvent] = []
    /// Backends highlighted after a critical event, until the given time.
    public var alerts: [String: Date] = [:]
    /// Ring the bell on a critical event.
    public var bellOnCritical = false
    /// After a redistribution: the planned shares and the observed split of new sessions since.
    public var splitWatch: SplitWatch?
    /// A fail back in progress: the record it was planned from, and for a gradual one the steps left.
    public var failback = FailbackProgress()

    /// Why writes are off, or nil when they are allowed.
    public var readOnlyReason: String? {
        if readOnlyRequested { return "--read-only" }
        if isFleetView { return nil }  // per balancer: a node that cannot take part is named in the fleet dialog
        if primary.profile.readOnly { return "\(primary.profile.label) is read_only in the targets file" }
        if let level = snapshot?.info.level, !level.canChangeServers {
            return "socket level \(level.rawValue); actions need admin"
        }
        return nil
    }

    /// Makes a model for a terminal of `width`×`height` cells.
    public init(
        width: Int, height: Int, now: Date, interval: Duration = .seconds(1),
        keymap: Keymap = KeymapLibrary.builtInDefault,
        readOnly: Bool = false, glyphs: GlyphSet = .unicode, useColor: Bool = true,
        balancers profiles: [(BalancerID, BalancerProfile)] = [(.primary, BalancerProfile(label: "balancer"))]
    ) {
        self.width = width
        self.height = height
        self.now = now
        self.balancers = profiles.map { BalancerState(id: $0.0, profile: $0.1, now: now) }
        self.interval = interval
        self.keymap = keymap
        self.readOnlyRequested = readOnly
        self.glyphs = glyphs
        self.useColor = useColor
    }

    /// True when writes are off: requested, a fleet view, a read-only target, or the socket is below admin.
    public var isReadOnly: Bool {
        readOnlyRequested
            || (!isFleetView
                && (primary.profile.readOnly || (snapshot.map { !$0.info.level.canChangeServers } ?? false)))
    }

    /// True when the snapshot shown is not current (refresh failing, or older than two intervals).
    public var isStale: Bool {
        if isFleetView { return focusedIndices.allSatisfy { balancers[$0].isStale(now: now, interval: interval) } }
        return primary.isStale(now: now, interval: interval)
    }

    // MARK: Balancers

    /// The balancers in focus, by position in ``balancers``.
    public var focusedIndices: [Int] {
        switch focus {
        case .all: return Array(balancers.indices)
        case .one(let id): return balancers.firstIndex { $0.id == id }.map { [$0] } ?? Array(balancers.indices)
        case .group(_, let ids):
            let indices = balancers.indices.filter { ids.contains(balancers[$0].id) }
            return indices.isEmpty ? Array(balancers.indices) : indices
        }
    }

    /// True when several balancers are in view: the merged fleet view, read-only until fleet actions land.
    public var isFleetView: Bool { focusedIndices.count > 1 }

    /// The position of the balancer the one-balancer views and actions use: the focused one, else the first.
    public var primaryIndex: Int { focusedIndices.first ?? 0 }

    /// The balancer the one-balancer views and actions use.
    public var primary: BalancerState {
        get { balancers[primaryIndex] }
        set { balancers[primaryIndex] = newValue }
    }

    /// The position of the balancer with `id`.
    public func index(of id: BalancerID) -> Int? { balancers.firstIndex { $0.id == id } }

    /// The primary balancer's undo record (``BalancerState/undoable``).
    public var undoable: UndoRecord? {
        get { primary.undoable }
        set { primary.undoable = newValue }
    }
    /// The primary balancer's last good snapshot.
    public var snapshot: BalancerSnapshot? {
        get { primary.snapshot }
        set { primary.snapshot = newValue }
    }
    /// The primary balancer's connection health.
    public var connection: ConnectionStatus {
        get { primary.connection }
        set { primary.connection = newValue }
    }
    /// When the primary balancer's last good snapshot arrived.
    public var lastRefresh: Date? {
        get { primary.lastRefresh }
        set { primary.lastRefresh = newValue }
    }
    /// When the primary balancer's next refresh is due.
    public var nextRefresh: Date {
        get { primary.nextRefresh }
        set { primary.nextRefresh = newValue }
    }

    /// Makes every balancer's refresh due now (after `r`, or when resuming).
    public mutating func refreshAllNow() {
        for index in balancers.indices { balancers[index].nextRefresh = now }
    }

    /// The primary balancer's rates and history.
    public var metrics: Metrics {
        get { primary.metrics }
        set { primary.metrics = newValue }
    }

    /// The selected row, if any.
    public var selectedRow: Row? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// Rebuilds ``rows`` after a snapshot, the focus, filter, sort or collapse changed, keeping the selection.
    public mutating func rebuildRows() {
        fleetNeedsMerge = false
        if isFleetView {
            fleetMergedAt = now
            fleet = FleetView(balancers: focusedIndices.map { balancers[$0] })
            rows = RowBuilder.rows(
                fleet: fleet, filter: filter, sort: sort, descending: sortDescending, collapsed: collapsed)
        } else {
            if !fleet.backends.isEmpty { fleet = FleetView() }
            rows = RowBuilder.rows(
                snapshot: snapshot, filter: filter, sort: sort, descending: sortDescending, collapsed: collapsed,
                metrics: metrics)
        }
        if let selectedID, let position = rows.firstIndex(where: { $0.id == selectedID }) {
            cursor = position
        } else {
            cursor = min(max(0, cursor), max(0, rows.count - 1))
            selectedID = rows.indices.contains(cursor) ? rows[cursor].id : nil
        }
    }

    /// Notes that a balancer in the fleet view changed; the merge waits for a tick.
    public mutating func fleetChanged() { fleetNeedsMerge = true }

    /// True when a tick should merge the fleet view now.
    public var fleetMergeDue: Bool {
        fleetNeedsMerge && (fleetMergedAt.map { now.timeIntervalSince($0) >= interval.seconds * 0.95 } ?? true)
    }

    /// False in the fleet view: a refresh result there changes the screen only at the next tick's merge, so
    /// the runtime need not draw after it.
    public var drawsAfterRefresh: Bool { !isFleetView }

    /// Rows that fit in the list area at the current size.
    public var pageSize: Int { max(1, Layout(width: width, height: height).listHeight) }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
