import ArgumentParser
import FoundationEssentials
import Glibc
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps

/// Options of the commands that change routes (maps) on one balancer.
struct RouteOptions: ParsableArguments {
    @OptionGroup var socket: SocketOptions

    @Flag(name: .long, help: "Print the entries before → after and the commands; send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Confirm (required without a terminal): a route change moves all of a host's traffic.")
    var yes = false

    @Option(name: .long, help: "When a route would point at a backend with no server serving: type that backend here.")
    var confirm: String?

    @Option(name: .long, help: "Audit log file (default: $XDG_STATE_HOME/switchboard/audit.jsonl).")
    var auditLog: String?

    @Flag(name: .long, help: "Print the plan and the outcome as JSON.")
    var json = false

    var audit: AuditLog {
        AuditLog(path: auditLog ?? AuditLog.defaultPath(), createsDirectories: auditLog == nil)
    }
}

/// Runs a route plan from the command line: read the maps and the snapshot, plan, preview, confirm, send
/// (compare-and-set), read back, audit, and keep the record that fail back and undo restore.
enum RouteRunner {
    /// What to do with the route record once the plan verified.
    enum Keep {
        /// Record the change (undoable; a failover's `from` names it for `failback-routes`).
        case record(failoverFrom: String?)
        /// The plan restored the record with this id: remove it.
        case restored(id: String)
    }

    static func run(
        _ options: RouteOptions, keep: @escaping @Sendable (RoutePlan) -> Keep,
        plan: @escaping @Sendable ([RouteMapContents], BalancerSnapshot, RouteStore, String) throws -> RoutePlan
    ) async throws {
        try await ExitCodes.reporting {
            let driver = try await options.socket.makeDriver(writes: !options.dryRun)
            defer { Task { await driver.close() } }
            let snapshot = try await driver.snapshot()
            let maps = try await RouteExecutor.readMaps(driver)
            let store = RouteStore(besides: options.audit)
            let plan = try plan(maps, snapshot, store, snapshot.info.socket)
            preview(plan, json: options.json)
            if options.dryRun {
                if options.json { printJSON(RouteDocument(plan: plan, outcome: nil, dryRun: true)) }
                return
            }
            try confirm(plan, yes: options.yes, typed: options.confirm)
            let outcome = try await RouteExecutor(driver: driver, audit: options.audit, via: "cli")
                .execute(plan, balancer: snapshot.info)
            if options.json {
                printJSON(RouteDocument(plan: plan, outcome: outcome, dryRun: false))
            } else {
                print(outcome.summary)
            }
            if let failure = outcome.failure { throw ExitCode(ExitCodes.code(for: failure)) }
            guard outcome.verified else { throw ExitCode(ActionRunner.notVerified) }
            switch keep(plan) {
            case .record(let from):
                try store.save(
                    .init(
                        id: outcome.id, time: AuditRecord.timestamp(Date()), socket: snapshot.info.socket,
                        label: plan.label, failoverFrom: from, changes: plan.changes))
            case .restored(let id):
                try store.remove(id: id)
            }
        }
    }

    static func preview(_ plan: RoutePlan, json: Bool) {
        guard !json else { return }
        print(plan.label)
        let width = plan.changes.map(\.key.count).max() ?? 0
        for change in plan.changes {
            let key = change.key.padded(to: width)
            print(
                "  route     \(key)  \(change.before ?? "(none)") → \(change.after ?? "(removed)")   in \(change.map)")
        }
        for target in plan.targets { print("  target    \(target)") }
        for warning in plan.warnings { print("  WARNING   \(warning)") }
        for command in (try? plan.commands()) ?? [] { print("  send      \(command.line)") }
        print("  note      runtime map changes are lost on reload unless the map file is updated too")
    }

    /// `--yes` (and `--confirm BACKEND` for a target with no server serving), or a prompt on a terminal.
    static func confirm(_ plan: RoutePlan, yes: Bool, typed: String?) throws {
        if yes {
            if let backend = plan.typedConfirmation, typed != backend {
                throw SwitchboardError(
                    .invalidValue,
                    "\(backend) has no server serving: add --confirm \(backend) to route there anyway; nothing was sent"
                )
            }
            return
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw SwitchboardError(
                .invalidValue,
                "a route change moves traffic and there is no terminal to confirm on: add --yes; "
                    + "nothing was sent")
        }
        StandardStream.error.write("Proceed? [y/N] ")
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
            throw SwitchboardError(.invalidValue, "not confirmed; nothing was sent")
        }
        if let backend = plan.typedConfirmation {
            StandardStream.error.write(
                bytes:
                    Data("\(backend) has NO server serving. Type its name to route there anyway: ".utf8))
            guard readLine() == backend else {
                throw SwitchboardError(.invalidValue, "not confirmed; nothing was sent")
            }
        }
    }

    static func printJSON<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }
}

/// The JSON shape of a route plan and its outcome.
struct RouteDocument: Encodable {
    var plan: RoutePlan
    var commands: [String]
    var dryRun: Bool
    var sent: Bool
    var verified: Bool?
    var replies: [CommandExchange]?
    var unmet: [String]?
    var error: String?
    var message: String?

    init(plan: RoutePlan, outcome: RouteOutcome?, dryRun: Bool) {
        self.plan = plan
        commands = ((try? plan.commands()) ?? []).map(\.line)
        self.dryRun = dryRun
        sent = outcome.map { !$0.exchanges.isEmpty } ?? false
        verified = outcome?.verified
        replies = outcome?.exchanges
        unmet = outcome?.unmet
        error = outcome?.failure?.code.rawValue
        message = outcome?.summary
    }
}
