import FoundationEssentials
import SwitchboardCore

/// A training scenario: an incident `switchboard demo --scenario NAME` plays on its lab for a trainee.
///
/// The scenario sets the lab up (``setup``), lets the service run quietly for ``leadSeconds``, then injects its
/// ``faults``. The trainee's users are ``users``' requests (by Host through the lab's route map); what they see is
/// what decides recovery. The brief says what users report, never the answer; the reference solution comes with
/// the debrief.
public struct Scenario: Sendable, Hashable {
    /// Its name on the command line.
    public var name: String
    /// A one-line title.
    public var title: String
    /// What opens the scenario: what users report (not the answer).
    public var brief: [String]
    /// The reference solution, shown in the debrief.
    public var reference: [String]
    /// The time to mitigation a practised operator reaches, in seconds (scoring starts to cost beyond it).
    public var parSeconds: Int
    /// Quiet seconds before the faults.
    public var leadSeconds: Int
    /// What is done at the start (the state the trainee inherits).
    public var setup: [Fault]
    /// What is done after the lead: the incident itself.
    public var faults: [Fault]
    /// The users' traffic.
    public var users: Users
    /// The shortest recovery window that means anything here: a flapping server is healthy for a while between
    /// its failures, and a shorter window would call that a recovery.
    public var minimumWindowSeconds = 1

    /// One change to the lab.
    public enum Fault: Sendable, Hashable {
        /// These origins (`backend/server`) overload but keep passing their health checks: `delay` more per
        /// request and `errorPercent` 503s.
        case overload([String], delay: Duration, errorPercent: Int)
        /// These origins stop listening (checks fail at L4, the servers go DOWN).
        case stopOrigins([String])
        /// This origin alternates: failing (503 to everything, checks included) for `failing`, then healthy for
        /// `healthy`, until the scenario ends — the server keeps re-entering rotation.
        case flap(String, failing: Duration, healthy: Duration)
        /// The previous shift put this server (`backend/server`) in MAINT, through Switchboard (audited).
        case previousShiftMaint(String)
        /// A configuration reload without a server-state file (runtime changes are lost).
        case reload
        /// The users' traffic climbs by this many requests per second.
        case surge(Int)
    }

    /// The users' requests.
    public struct Users: Sendable, Hashable {
        /// The Host they ask for (routed by the lab's map).
        public var host: String
        /// Their paths, taken in turn.
        public var paths: [String]
        /// Requests per second.
        public var rate: Int

        /// Makes the users' traffic.
        public init(host: String, paths: [String], rate: Int) {
            self.host = host
            self.paths = paths
            self.rate = rate
        }
    }
}

extension Scenario {
    /// What opens the scenario: what users report, the goal and the clock; never the answer.
    public func briefText(rule: RecoveryRule, timeLimitSeconds: Int, auditLog: String) -> String {
        var text = "SCENARIO \(name): \(title)\n\n"
        text += brief.map { "  " + $0 }.joined(separator: "\n") + "\n\n"
        text += """
              The incident begins about \(leadSeconds) s after the start. It ends when the users of \(users.host) \
            are served again — at most \(String(printf: "%g", rule.maxFailedShare * 100)) % failed and a mean \
            response under \(Int(rule.maxMeanMilliseconds)) ms, every second for \(rule.windowSeconds) s — or \
            after \(timeLimitSeconds / 60) min \(timeLimitSeconds % 60) s. Your actions are read from the audit \
            log (\(auditLog)) for the debrief.

            """
        return text
    }

    /// The shop's users: `www.example` (routed to be_web), mostly quick pages and some slow ones.
    static let shopUsers = Users(host: "www.example", paths: ["/", "/page", "/slow-400", "/", "/cart"], rate: 20)

    static let primaries = ["be_web/web1", "be_web/web2", "be_web/web3", "be_web/web4"]

    /// Every scenario, in the order `--list-scenarios` prints them.
    public static let all: [Scenario] = [failoverNeverComes, flappingServer, backupsDown, reloadReverts]

    /// The scenario called `name`, if any.
    public static func named(_ name: String) -> Scenario? { all.first { $0.name == name } }

    /// The incident this product exists for: the primaries overload but stay UP, so HAProxy's failover to the
    /// backups never comes.
    public static let failoverNeverComes = Scenario(
        name: "failover-never-comes",
        title: "The primaries overload, stay UP, and HAProxy never fails over",
        brief: [
            "09:12 — Support: \"checkout is crawling, some customers get 503 Service Unavailable\".",
            "Traffic to www.example has been climbing since the campaign e-mail went out.",
            "Nobody has touched the balancer today. You are on call: restore the service.",
        ],
        reference: [
            "Notice be_web's servers are all UP yet slow (RTIME, QUEUE) and answering 5xx; its backups and the "
                + "be_standby pool sit idle.",
            "Move traffic by hand: `switchboard failover be_web` (the backups take the traffic; F in the console), "
                + "or `switchboard failover-routes be_web --to be_standby` (the routes view, F).",
            "Watch 5xx/s and RTIME fall; record it (`switchboard incident start`); fail back once the primaries "
                + "are healthy again.",
        ],
        parSeconds: 90, leadSeconds: 8, setup: [],
        faults: [.overload(primaries, delay: .milliseconds(1200), errorPercent: 20), .surge(20)],
        users: shopUsers)

    /// A server that keeps re-entering rotation: its checks pass for a while, then it fails again.
    public static let flappingServer = Scenario(
        name: "flapping-server",
        title: "A server keeps re-entering rotation",
        brief: [
            "Support: \"every few seconds some shoppers get an error page; reloading the page fixes it\".",
            "The monitoring shows be_web healthy most of the time. Find what is failing and stop it hurting users.",
        ],
        reference: [
            "See be_web/web2 going DOWN and UP again (events view, `switchboard events`); users get 503s each "
                + "time it comes back before its checks catch it.",
            "Take it out of rotation for good: `switchboard maint be_web/web2` (m in the console); the other three "
                + "carry the load. Investigate web2 before making it ready again.",
        ],
        parSeconds: 60, leadSeconds: 5, setup: [],
        faults: [.flap("be_web/web2", failing: .seconds(4), healthy: .seconds(5))],
        users: shopUsers, minimumWindowSeconds: 12)

    /// The backups are already DOWN when the actives fail: HAProxy has nothing to fail over to.
    public static let backupsDown = Scenario(
        name: "backups-down",
        title: "The actives fail while the backups are already DOWN",
        brief: [
            "Pager: \"www.example returns 503 for every request\".",
            "The web pool's two backups were taken down for patching last night.",
        ],
        reference: [
            "be_web has no server left: the actives are DOWN (L4CON) and so are both backups.",
            "Fail the site over to the standby pool: `switchboard failover-routes be_web --to be_standby` "
                + "(R in the console for the routes view, then F); fail back with `failback-routes be_web` once "
                + "be_web is healthy.",
        ],
        parSeconds: 60, leadSeconds: 6, setup: [.stopOrigins(["be_web/web-bk1", "be_web/web-bk2"])],
        faults: [.stopOrigins(primaries)],
        users: shopUsers)

    /// A reload that silently puts back a server the previous shift had taken out.
    public static let reloadReverts = Scenario(
        name: "reload-reverts",
        title: "A reload silently reverts a manual change",
        brief: [
            "Handover from the previous shift: \"web3 serves errors since last night's deploy; we put it in "
                + "maintenance\".",
            "A colleague is deploying a configuration change to the balancer this morning.",
            "Shortly after, support reports that one checkout in four fails with an error.",
        ],
        reference: [
            "The reload started a new worker that knows nothing of runtime changes: web3 is READY again and "
                + "serving errors (the console's reload banner names the lost change).",
            "Put it back: `switchboard reapply` (P in the console) re-applies what the audit log says a reload "
                + "lost, or `switchboard maint be_web/web3`.",
        ],
        parSeconds: 60, leadSeconds: 10,
        setup: [.overload(["be_web/web3"], delay: .zero, errorPercent: 100), .previousShiftMaint("be_web/web3")],
        faults: [.reload],
        users: shopUsers)
}
