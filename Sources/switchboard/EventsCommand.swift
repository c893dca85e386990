import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import HAProxyDriver
import NCursesBackend
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// `switchboard events --follow`: the console's events (DOWN/UP, running on backups, no server available, 5xx above
/// the limit, queue growing, flapping, admin, weight and check changes, reloads) and the balancer going away and
/// coming back, printed as they happen — a line each, or a JSON line each for alerting pipelines. Each balancer is
/// read by its own task; SIGTERM, SIGINT and a closed pipe end it with status 0.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print balancer events as they happen (--follow), one line or one JSON line each.",
        discussion: """
            JSON lines carry time (UTC), severity (info|warning|critical), kind, backend, server (server events), \
            balancer (with several balancers) and message. Kinds: server-down, server-up, admin-changed, \
            weight-changed, checks-changed, health-forced, running-on-backups, back-on-actives, \
            no-server-available, server-available-again, flapping, queue-growing, error-rate, reloaded, \
            balancer-unreachable, balancer-reachable. Events are also appended to timeline.jsonl beside the audit \
            log (--no-record leaves it alone), where `switchboard timeline` finds them.
            """)

    @OptionGroup var socket: SocketOptions

    @Flag(name: .long, help: "Keep reading and print events as they happen (required).")
    var follow = false

    @Flag(name: .long, help: "One JSON object per line.")
    var json = false

    @Option(name: .long, help: "Seconds between two reads of each balancer (0.2–60).")
    var interval: Double = 1

    @Option(name: .long, help: "5xx per second per backend above which an error-rate event is raised.")
    var errorRate: Double = 5

    @Option(name: .long, help: "Audit log file; the timeline beside it records the events.")
    var auditLog: String?

    @Flag(name: .long, help: "Do not append the events to the timeline.")
    var noRecord = false

    func validate() throws {
        guard follow else {
            throw ValidationError("events needs --follow (recorded events: switchboard timeline)")
        }
        guard (0.2...60).contains(interval) else { throw ValidationError("--interval takes 0.2–60 seconds") }
        guard errorRate > 0 && errorRate <= 1_000_000 else {
            throw ValidationError("--error-rate takes a positive rate")
        }
    }

    func run() async throws {
        try await ExitCodes.reporting {
            let targets = try await socket.resolveTargets()
            let timeline =
                noRecord
                ? nil
                : TimelineLog(
                    besides: AuditLog(
                        path: auditLog ?? AuditLog.defaultPath(), createsDirectories: auditLog == nil))
            let printer = EventPrinter(json: json, timeline: timeline, balancers: targets.count)
            let labelled = targets.count > 1
            StandardStream.error.write(
                bytes:
                    Data(
                        "switchboard: following \(targets.count) balancer(s) every \(interval) s — Ctrl-C stops\n".utf8)
            )
            let socket = self.socket, interval = self.interval, errorRate = self.errorRate
            let following = Task {
                await withTaskGroup(of: Void.self) { group in
                    for target in targets {
                        group.addTask {
                            await Self.follow(
                                target, label: labelled ? target.name : nil, socket: socket, every: interval,
                                errorRate: errorRate, printer: printer)
                        }
                    }
                }
            }
            let signals = StopSignals.install { following.cancel() }
            await printer.onClosedOutput { following.cancel() }
            await following.value
            signals?.close()
        }
    }

    /// Reads `target` every `interval` until cancelled, printing what changed.
    static func follow(
        _ target: BalancerTarget, label: String?, socket: SocketOptions, every interval: Double, errorRate: Double,
        printer: EventPrinter
    ) async {
        var follower = EventFollower(balancer: label, errorRateThreshold: errorRate)
        let driver = socket.driver(for: target)
        let clock = ContinuousClock()
        var first = true
        while !Task.isCancelled {
            let started = clock.now
            let events: [BalancerEvent]
            do {
                events = follower.read(try await driver.snapshot(), at: Date())
            } catch let error as SwitchboardError {
                events = follower.failed(error, at: Date())
            } catch {
                events = follower.failed(SwitchboardError(.other, "\(error)"), at: Date())
            }
            await printer.emit(events)
            if first {
                first = false
                await printer.baselineRead()
            }
            try? await Task.sleep(until: started + .milliseconds(Int(interval * 1000)), clock: clock)
        }
        await driver.close()
    }
}

/// Writes events to standard output (text or JSON lines) and the timeline, in the order they come; notices a
/// closed pipe (`| head -1`) and says so once, so the run ends instead of dying of SIGPIPE.
actor EventPrinter {
    private let json: Bool
    private let timeline: TimelineLog?
    private var closed = false
    private var onClosed: (@Sendable () -> Void)?
    private var timelineFailed = false
    private var awaitingBaseline: Int

    init(json: Bool, timeline: TimelineLog?, balancers: Int) {
        self.json = json
        self.timeline = timeline
        awaitingBaseline = balancers
        signal(SIGPIPE, SIG_IGN)
    }

    /// One balancer's first read (the baseline, no events) is done; when every one has had it, says so on stderr:
    /// from then on every change is reported.
    func baselineRead() {
        awaitingBaseline -= 1
        if awaitingBaseline == 0 {
            StandardStream.error.write("switchboard: baseline read; events follow\n")
        }
    }

    func onClosedOutput(_ action: @escaping @Sendable () -> Void) {
        if closed { action() } else { onClosed = action }
    }

    func emit(_ events: [BalancerEvent]) {
        guard !events.isEmpty, !closed else { return }
        var text = ""
        for event in events { text += json ? Self.jsonLine(event) : Self.textLine(event) }
        if !Self.writeAll(text) {
            closed = true
            onClosed?()
            return
        }
        guard let timeline, !timelineFailed else { return }
        do {
            try timeline.append(events)
        } catch {
            timelineFailed = true  // printing matters more than recording: warn once, go on
            StandardStream.error.write("switchboard: events are not recorded: \(error)\n")
        }
    }

    static func jsonLine(_ event: BalancerEvent) -> String {
        let data = (try? TimelineLog.encoder.encode(event)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `2026-12-02T06:40:01.120Z  CRITICAL  lb1  be_web/web2 DOWN (L4CON: Connection refused)`.
    static func textLine(_ event: BalancerEvent) -> String {
        let severity = event.severity.rawValue.uppercased().padded(to: 8)
        let balancer = event.balancer.map { "\($0)  " } ?? ""
        return "\(AuditRecord.timestamp(event.time))  \(severity)  \(balancer)\(event.message)\n"
    }

    /// Writes everything to standard output; false once the reader has gone (EPIPE).
    static func writeAll(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
