import FoundationEssentials

/// A mouse report, independent of the terminal library that read it: a left-button press or release, or
/// a wheel step, at a cell (0-based), with when it arrived (double clicks are told apart by time).
public struct MouseEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Sendable {
        case press, release, wheelUp, wheelDown
    }

    /// What happened.
    public var kind: Kind
    /// The cell's column, from 0.
    public var x: Int
    /// The cell's row, from 0.
    public var y: Int
    /// When it arrived.
    public var time: Date

    /// Makes an event.
    public init(_ kind: Kind, x: Int, y: Int, time: Date) {
        self.kind = kind
        self.x = x
        self.y = y
        self.time = time
    }

    /// Parses the body of an SGR (mode 1006) report — what follows `ESC [ <`: `0;10;5M` is a left press at
    /// column 10, row 5 (1-based on the wire), `m` a release, buttons 64/65 the wheel. Other buttons, drags
    /// and malformed reports give nil.
    public init?(sgrBody body: String, time: Date) {
        guard let final = body.last, final == "M" || final == "m" else { return nil }
        let fields = body.dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count == 3, let button = Int(fields[0]), let column = Int(fields[1]), let row = Int(fields[2]),
            column >= 1, row >= 1
        else { return nil }
        let kind: Kind
        switch button & ~(4 | 8 | 16) {  // shift, meta and control do not change what a click does
        case 0: kind = final == "M" ? .press : .release
        case 64: kind = .wheelUp
        case 65: kind = .wheelDown
        default: return nil
        }
        if final == "m" && kind != .release { return nil }
        self.init(kind, x: column - 1, y: row - 1, time: time)
    }
}
