import FoundationEssentials
import SwitchboardCore

/// The training scenario the demo is playing, as the header shows it: `SCENARIO flapping-server · 9:12 left`.
public struct ScenarioClock: Sendable, Hashable {
    /// The scenario's name.
    public var name: String
    /// When its time runs out.
    public var endsAt: Date

    /// Makes a clock.
    public init(name: String, endsAt: Date) {
        self.name = name
        self.endsAt = endsAt
    }

    /// `SCENARIO NAME · M:SS left` at `now`.
    public func label(at now: Date) -> String {
        let left = max(0, Int(endsAt.timeIntervalSince(now).rounded(.up)))
        return "SCENARIO \(name) · \(left / 60):" + String(printf: "%02ld", left % 60) + " left"
    }
}
