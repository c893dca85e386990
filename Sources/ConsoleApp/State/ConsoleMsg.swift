import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

/// Everything that happens to the console, as values: keys, resizes, time and refresh results.
public enum ConsoleMsg: Sendable {
    /// A key press.
    case key(Key)
    /// The terminal was resized.
    case resize(width: Int, height: Int)
    /// Time passed.
    case tick(Date)
    /// A refresh of a balancer finished, at the given time; `started` is when its reads began (nil: unknown).
    case refreshed(
        Result<BalancerSnapshot, SwitchboardError>, at: Date, from: BalancerID = .primary, started: Date? = nil)
    /// A fleet-wide action finished on every balancer it concerned (rolled back where needed).
    case fleetPerformed(FleetExecutor.Report, label: String)
    /// An action finished (sent, verified, audited), or could not be audited.
    case performed(Result<ActionOutcome, SwitchboardError>, from: BalancerID = .primary)
    /// The balancer changed since the confirmed plan was computed: nothing was sent; here is the plan
    /// re-projected on the new state, to be confirmed again.
    case planChanged(PlanRecheck)
    /// The audit log was read.
    case auditLoaded(Result<[AuditRecord], SwitchboardError>)
    /// The failover on record for a backend (for fail back).
    case failoverLoaded(backend: String, Result<FailoverStore.Record?, SwitchboardError>, from: BalancerID = .primary)
    /// An effect's file I/O failed (timeline, failover record): shown in the footer.
    case effectFailed(String)
    /// The failovers on record for a backend on each balancer in the fleet view (for a fleet fail back).
    case fleetFailoversLoaded(backend: String, [BalancerID: FailoverStore.Record])
    /// What a balancer's reload undid of the operator's changes (``SwitchboardOps/LostChanges``).
    case lostChangesFound([LostChange], on: BalancerID)
    /// A raw command's reply.
    case rawReplied(command: String, Result<String, SwitchboardError>)
    /// The open incident as the incident log tells it (at start, and after the console marked one); `note` says
    /// what was just marked.
    case incidentChanged(Result<Incident?, SwitchboardError>, note: String? = nil)
    /// The maps of a balancer were read (routes view).
    case routesRead(Result<[RouteMapContents], SwitchboardError>, from: BalancerID)
    /// The route changes on record for a balancer were read.
    case routeRecordsLoaded(Result<[RouteStore.Record], SwitchboardError>, from: BalancerID)
    /// A route plan finished (sent, read back, audited; its record kept or removed), or was refused.
    case routesPerformed(Result<RouteOutcome, SwitchboardError>, from: BalancerID)
    /// A line of the running drill's progress.
    case drillProgress(String)
    /// The drill finished (restored, report made), or could not start (nothing injected).
    case drillFinished(Result<DrillReport, SwitchboardError>)
}

/// I/O the runtime performs for `update`; its results come back as ``ConsoleMsg``s.
public enum ConsoleEffect: Hashable, Sendable {
    /// Read the balancer. `focus` names the backends on screen, which a driver may poll in full
    /// while polling the rest more cheaply.
    case refresh(focus: [String], on: BalancerID = .primary)
    /// Ring the terminal bell.
    case bell
    /// Leave the console.
    case quit
    /// Send, verify and audit a plan.
    case perform(ActionPlan, on: BalancerID = .primary)
    /// Run one intent on several balancers (each node's plan), all or nothing unless `rollback` is false.
    case performFleet([FleetStep], label: String, rollback: Bool)
    /// Read the failover on record for a backend on each of these balancers.
    case loadFleetFailovers(String, on: [BalancerID])
    /// After a balancer's reload: compare its new state with what the audit log says the operator left.
    case findLostChanges(on: BalancerID)
    /// Read the audit log.
    case loadAudit
    /// Send a raw command (audited when it writes).
    case raw(RuntimeCommand, on: BalancerID = .primary)
    /// Append events (and operator actions) to the timeline file.
    case recordEvents([BalancerEvent])
    /// Record a failover's before-states on a balancer, for fail back.
    case saveFailover(FailoverStore.Record, on: BalancerID = .primary)
    /// Read the failover on record for a backend of a balancer.
    case loadFailover(String, on: BalancerID = .primary)
    /// Forget the failover of a backend of a balancer (after a complete fail back).
    case clearFailover(String, on: BalancerID = .primary)
    /// Mark the start of an incident with this title, or (nil) the end of the open one, in the incident log.
    case markIncident(start: String?)
    /// Read a balancer's maps and their entries.
    case readRoutes(on: BalancerID)
    /// Read the route changes on record for a balancer.
    case loadRouteRecords(on: BalancerID)
    /// Send, read back and audit a route plan on a balancer, then keep (or remove) its record.
    case performRoutes(RoutePlan, keep: RouteKeep, on: BalancerID)
    /// Run a drill on a balancer (``DrillRunner``: steady state, record, inject, watch, restore, report).
    case runDrill(DrillSpec, on: BalancerID)
    /// Ask the running drill to stop: it restores at once, then reports.
    case stopDrill
}

/// One balancer's plan in a fleet-wide action, for the runtime.
public struct FleetStep: Hashable, Sendable {
    /// The balancer.
    public var id: BalancerID
    /// Its label (the result table's name).
    public var label: String
    /// Its plan.
    public var plan: ActionPlan
}
