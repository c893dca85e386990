import ConsoleApp
import TerminalUI

/// What the runtime needs from a terminal: its size, the keys pressed since the last call, a way to
/// show a Buffer, and the bell. ncurses implements it; tests plug in a recording one.
@MainActor
public protocol TerminalBackend: AnyObject {
    /// The size in cells, re-read after a resize.
    var size: (width: Int, height: Int) { get }
    /// Applies a terminal resize (after SIGWINCH) and returns the new size.
    func syncSize() -> (width: Int, height: Int)
    /// Keys typed since the last call, without blocking.
    func readKeys() -> [Key]
    /// Shows `buffer`.
    func draw(_ buffer: Buffer)
    /// Rings the bell.
    func bell()
    /// True once the terminal's input is gone for good (the terminal closed without a SIGHUP reaching us): the
    /// console ends as on SIGHUP instead of spinning on an input that is always "ready".
    var inputClosed: Bool { get }
}

extension TerminalBackend {
    /// A terminal that cannot close (tests' recording terminals).
    public var inputClosed: Bool { false }
}
