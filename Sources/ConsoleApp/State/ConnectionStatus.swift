import FoundationEssentials
import SwitchboardCore

/// How the refresh loop is doing.
public enum ConnectionStatus: Hashable, Sendable {
    /// No answer yet.
    case connecting
    /// The last refresh worked.
    case live
    /// Refreshes fail; retrying with backoff.
    case failing(SwitchboardError, attempts: Int)
}
