/// What a plan will do, as lines: the one preview the console's dialog and the command line both show
/// (each styles or prefixes the lines by their kind).
public struct PlanPreview: Sendable, Hashable {
    /// What a line tells.
    public enum Kind: Sendable, Hashable {
        /// The action and its targets.
        case title
        /// The balancer moved since the plan was first shown (the plan was re-computed).
        case changed
        /// A backend's capacity before → after; `emptied` when it is left with no active server serving.
        case capacity(reduces: Bool, emptied: Bool)
        /// Sessions on the servers touched.
        case sessions
        /// A note.
        case note
        /// A warning.
        case warning
        /// A command that will be sent.
        case send
    }

    /// One line.
    public struct Line: Sendable, Hashable {
        /// What it tells.
        public var kind: Kind
        /// The text, without a prefix.
        public var text: String
    }

    /// The lines, in order.
    public let lines: [Line]

    /// The preview of `plan`; `changesShown` caps the changed-since lines (the dialog's space is small).
    public init(_ plan: ActionPlan, changesShown: Int = 6) {
        var lines = [
            Line(kind: .title, text: "\(plan.label): " + plan.intent.targets.map(\.description).joined(separator: ", "))
        ]
        if !plan.changes.isEmpty {
            lines.append(Line(kind: .changed, text: "CHANGED since this dialog opened (plan re-computed):"))
            for change in plan.changes.suffix(changesShown) { lines.append(Line(kind: .changed, text: "  " + change)) }
        }
        for impact in plan.impacts {
            lines.append(
                Line(
                    kind: .capacity(reduces: impact.reducesCapacity, emptied: impact.after.activeServing == 0),
                    text: impact.summary))
        }
        if plan.reducesCapacity && plan.sessionsAffected > 0 {
            lines.append(
                Line(kind: .sessions, text: "\(plan.sessionsAffected) current session(s) on the servers touched"))
        }
        for note in plan.notes { lines.append(Line(kind: .note, text: note)) }
        for warning in plan.warnings { lines.append(Line(kind: .warning, text: warning)) }
        for step in plan.steps { lines.append(Line(kind: .send, text: RuntimeCommand(for: step).line)) }
        self.lines = lines
    }
}
