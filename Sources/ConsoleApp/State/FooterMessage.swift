import FoundationEssentials
import SwitchboardCore

/// A footer message.
public struct FooterMessage: Hashable, Sendable {
    /// The text.
    public var text: String
    /// True for errors (drawn in red).
    public var isError: Bool
    /// When it stops showing.
    public var until: Date
    /// The result of the operator's own action or command (kept on screen over event notices).
    public var isResult: Bool

    /// Makes a message.
    public init(text: String, isError: Bool, until: Date, isResult: Bool = false) {
        self.text = text
        self.isError = isError
        self.until = until
        self.isResult = isResult
    }
}
