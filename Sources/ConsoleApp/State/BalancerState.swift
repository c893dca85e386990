import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// A balancer's stable id in the console (its targets-file name, or its address). Messages, effects, rows and
/// drivers are keyed by it.
public struct BalancerID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The name.
    public var rawValue: String

    /// Makes an id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Makes an id from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The id of a console on one balancer (the default everywhere a balancer is not named).
    public static let primary = BalancerID("primary")

    /// The name.
    public var description: String { rawValue }
    /// Ordered by name.
    public static func < (lhs: BalancerID, rhs: BalancerID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How the console shows a balancer: what the targets file says about it.
public struct BalancerProfile: Hashable, Sendable {
    /// The label in the balancer strip and in events.
    public var label: String
    /// The header and frame colour, as a production cue.
    public var colour: Color?
    /// Never send changes here.
    public var readOnly: Bool
    /// A TCP socket to another host: no authentication, no encryption (marked in the header).
    public var exposedTCP: Bool
    /// What this balancer's driver can do; the rest is greyed out and refused with the reason.
    public var capabilities: DriverCapabilities

    /// Everything the console offers (HAProxy's driver).
    public static let allCapabilities: DriverCapabilities = [
        .drain, .maintenance, .liveWeights, .forceHealth, .agentControl, .toggleChecks, .killSessions, .rawCommands,
        .inFlightLoad,
    ]

    /// Makes a profile.
    public init(
        label: String, colour: Color? = nil, readOnly: Bool = false, exposedTCP: Bool = false,
        capabilities: DriverCapabilities = BalancerProfile.allCapabilities
    ) {
        self.label = label
        self.colour = colour
        self.readOnly = readOnly
        self.exposedTCP = exposedTCP
        self.capabilities = capabilities
    }
}

/// Everything the console knows about one balancer: its last snapshot, how its own refresh loop is doing
/// (each balancer has its own schedule and backoff, so a hung one never delays the others), and what was
/// derived from its successive snapshots (rates, history, events).
public struct BalancerState: Hashable, Sendable {
    /// The stable id.
    public var id: BalancerID
    /// Label, colour, read-only.
    public var profile: BalancerProfile
    /// The last good snapshot (kept, and shown as stale, when refreshes fail).
    public var snapshot: BalancerSnapshot?
    /// Connection health of this balancer's refresh loop.
    public var connection: ConnectionStatus = .connecting
    /// When the last good snapshot arrived.
    public var lastRefresh: Date?
    /// When the next refresh is due.
    public var nextRefresh: Date
    /// True while a refresh is in flight (never two at once per balancer).
    public var refreshInFlight = false
    /// When the last action's result on this balancer arrived: a refresh whose reads began before it may
    /// show the state before the action, and is not applied over it.
    public var actionResultAt: Date?
    /// The servers' states before and after the last action on this balancer (one of its own, or its part
    /// of a fleet-wide one), for undo on this balancer's own recorded states.
    public var undoable: UndoRecord?
    /// Rates and recent history derived from successive snapshots.
    public var metrics = Metrics()
    /// Finds events between refreshes.
    public var detector = EventDetector()

    /// Makes the state of a balancer not read yet.
    public init(id: BalancerID, profile: BalancerProfile, now: Date) {
        self.id = id
        self.profile = profile
        self.nextRefresh = now
    }

    /// True between an action's result on this balancer and the first read begun after it: until then the
    /// snapshot may show the state before the action, and nothing is planned on it.
    public var awaitsReadAfterAction: Bool {
        guard let actionResultAt else { return false }
        return (lastRefresh ?? .distantPast) < actionResultAt
    }

    /// True when the snapshot is not current (refresh failing, or older than two intervals).
    public func isStale(now: Date, interval: Duration) -> Bool {
        guard let lastRefresh else { return snapshot != nil }
        if case .failing = connection { return true }
        return now.timeIntervalSince(lastRefresh) > 2 * interval.seconds
    }
}

/// Which balancers the views show.
public enum BalancerFocus: Hashable, Sendable {
    /// Every balancer (the fleet view when there are several).
    case all
    /// One balancer: everything works exactly as on a console opened on it alone.
    case one(BalancerID)
    /// A named group of balancers from the targets file.
    case group(String, [BalancerID])
}
