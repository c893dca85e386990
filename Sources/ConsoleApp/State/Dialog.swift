import SwitchboardCore
import SwitchboardOps

/// A modal dialog over the console: a previewed action waiting for confirmation, or an input.
public enum Dialog: Hashable, Sendable {
    /// A plan shown with its impact; `typed` is what the operator has typed when the backend's name is
    /// required (the action would leave a backend with no active server serving).
    case confirm(ActionPlan, typed: String)
    /// The weight input for some servers, with the text typed so far.
    case weight(targets: [ServerRef], text: String)
    /// Choose forced health (or agent) up or down, and whether to disable checks first.
    case force(targets: [ServerRef], agent: Bool, disableChecks: Bool)
    /// A raw command that changes the balancer, waiting for confirmation.
    case raw(RuntimeCommand)
    /// Drain, then MAINT when the sessions reach 0 or after the timeout typed here (seconds).
    case drainTimeout(ActionPlan, text: String)
    /// Choose a redistribution strategy for a backend; `plan` is the preview of the last choice.
    case redistribute(backend: String, plan: RedistributionPlanner.Plan?, error: String?)
    /// One intent on every balancer in the fleet view, per node, with the fleet totals; `typed` as in
    /// ``confirm(_:typed:)``.
    case fleet(FleetProposal, typed: String)
    /// A fleet-wide drain, then MAINT on every balancer when all are empty or after the timeout typed here.
    case fleetDrainTimeout(FleetProposal, text: String)
    /// Re-apply on one balancer the manual changes its reload undid.
    case reapply(ActionPlan, on: BalancerID)
    /// The per-node result of a fleet-wide action (any key closes it).
    case fleetResult(FleetResultTable)
    /// Mark an incident: its title as typed (none open), or the end of the open one.
    case incident(open: Incident?, title: String)
    /// The backend a route (or every route of a backend) should point at, as typed.
    case routeTarget(RouteTargetInput)
    /// A previewed route change; `typed` is the target backend's name as typed when it has no server serving.
    case routeConfirm(RoutePlan, keep: RouteKeep, typed: String)

    /// The drill dialog on a backend (``DrillForm``).
    case drill(DrillForm)
    /// A drill's report, when it has finished (any key closes it).
    case drillReport(DrillReport)

    /// The backend name that must be typed, if any.
    static func requiredName(_ plan: ActionPlan) -> String? {
        plan.emptiedBackends.first
    }
}
