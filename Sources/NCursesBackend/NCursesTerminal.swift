import CNCursesW
import CTermGuard
import ConsoleApp
import ConsoleRuntime
import FoundationEssentials
import Glibc
import TerminalUI

/// The only owner of ncurses. ncurses is neither thread-safe nor reentrant, and `wget_wch` refreshes
/// the window, so every call happens here, on the main actor. It blits Buffers and turns input into
/// ``Key``s; `doupdate()` does the screen diffing.
@MainActor
public final class NCursesTerminal: TerminalBackend {
    private let window: UnsafeMutablePointer<WINDOW>
    private let screen: OpaquePointer?
    private var pairs: [ColorPairKey: Int16] = [:]
    private let colors: Bool
    private var closed = false
    /// The screen the window holds, so a draw rewrites only the rows that differ (nil: unknown, redraw all).
    private var shown: Buffer?
    /// True when mouse reports were asked for and the terminal type can send them.
    public private(set) var mouseReporting = false
    /// The start of a mouse report whose end has not been read yet.
    private var pendingReport: [Key] = []

    /// True when the locale's character set is UTF-8 (otherwise widgets use ASCII glyphs).
    public static var localeIsUTF8: Bool {
        guard let codeset = CNCursesW_codeset() else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Why the console cannot run on terminal type `type` (`$TERM`), or nil when it can. Checked before
    /// ncurses starts, because `initscr` exits the process on an unknown type.
    nonisolated public static func problem(withTerminalType type: String?, fd: Int32 = STDOUT_FILENO) -> String? {
        guard let type, !type.isEmpty else {
            return "TERM is not set: the console cannot tell what your terminal can do — set TERM (e.g. "
                + "TERM=xterm-256color) or use `switchboard status`"
        }
        switch CNCursesW_check_terminal(type, fd) {
        case 1:
            return "TERM=\(type) is unknown to terminfo: install its entry (apt-get install ncurses-term) or set "
                + "TERM=xterm-256color"
        case 2: return "no terminfo database found for TERM=\(type): install ncurses-base or ncurses-term"
        case 3:
            return "TERM=\(type) cannot move the cursor, which the console needs: use a real terminal or "
                + "`switchboard status`"
        default: return nil
        }
    }

    /// True when the terminal type has an alternate screen (the console's frames vanish on exit there).
    static func hasAlternateScreen() -> Bool {
        guard let value = tigetstr("smcup") else { return false }
        return Int(bitPattern: value) != -1
    }

    /// Starts ncurses on the process' terminal. Call `setlocale(LC_ALL, "")` and ignore SIGWINCH first
    /// (``prepareProcess()``).
    /// `mouse` asks the terminal for mouse reports (clicks and the wheel; off: the terminal's own selection).
    public init(useColor: Bool, mouse: Bool = false) throws {
        _ = CTermGuard_save(STDIN_FILENO)
        guard let window = initscr() else { throw TerminalError(message: "cannot start ncurses on this terminal") }
        self.window = window
        self.screen = nil
        colors = useColor && has_colors()
        configure(mouse: mouse)
        Self.installCrashGuard(mouse: mouseReporting)
    }

    /// Starts ncurses on given streams without a real terminal (tests: newterm on /dev/null).
    public init(
        headlessOn output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>,
        type: String = "xterm-256color", mouse: Bool = false
    ) throws {
        guard let screen = newterm(type, output, input), let window = CNCursesW_stdscr() else {
            throw TerminalError(message: "newterm(\(type)) failed")
        }
        self.screen = screen
        self.window = window
        colors = has_colors()
        configure(mouse: mouse)
    }

    /// The part of set-up that must happen before `initscr`: locale (wide characters) and SIGWINCH
    /// (so ncurses does not install its own handler; the runtime watches the signal instead).
    public static func prepareProcess() {
        setlocale(LC_ALL, "")
        signal(SIGWINCH, SIG_IGN)
    }

    private func configure(mouse: Bool) {
        raw()  // Ctrl-C arrives as a key: the console quits cleanly instead of being killed.
        noecho()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        curs_set(0)
        if mouse { mouseReporting = CNCursesW_mouse(1, termname()) != 0 }
        if colors {
            start_color()
            use_default_colors()
        }
    }

    private static func installCrashGuard(mouse: Bool) {
        // A crash must not leave the terminal sending mouse reports into the shell.
        var restore = mouse ? "\u{1b}[?1006l\u{1b}[?1000l" : ""
        for capability in ["rmcup", "cnorm", "sgr0"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) != -1 else { continue }
            restore += String(cString: value)
        }
        CTermGuard_install(STDOUT_FILENO, restore)
    }

    /// The terminal size in cells.
    public var size: (width: Int, height: Int) { (Int(getmaxx(window)), Int(getmaxy(window))) }

    /// Applies a SIGWINCH: reads the new size and resizes ncurses.
    public func syncSize() -> (width: Int, height: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))  // queues a KEY_RESIZE, ignored by readKeys
            clearok(window, true)
            shown = nil
        }
        return self.size
    }

    /// Every key waiting, without blocking.
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        var character: wint_t = 0
        while keys.count < 256 {
            let result = wget_wch(window, &character)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let key = Self.functionKey(Int32(character)) { keys.append(key) }
            } else if let key = Self.characterKey(UInt32(character)) {
                keys.append(key)
            }
        }
        guard mouseReporting else { return keys }
        // A report cut between two reads waits for its end (a lone Esc never does: ncurses has already
        // waited the escape delay for what follows it).
        let (complete, partial) = Self.splitPartialReport(pendingReport + keys)
        pendingReport = partial
        return Self.combineEscapes(complete)
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_F0 + 1...KEY_F0 + 12: .function(Int(code - KEY_F0))
        default: nil
        }
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .char(Character(scalar))
        }
    }

    /// `keys` without a mouse report begun at its end (`Esc [ <` and digits so far), and that beginning.
    static func splitPartialReport(_ keys: [Key]) -> (complete: [Key], partial: [Key]) {
        guard let start = keys.lastIndex(of: .escape), keys.count - start >= 3, keys.count - start < 20,
            keys[start + 1] == .char("["), keys[start + 2] == .char("<"),
            keys[(start + 3)...].allSatisfy({ key in
                if case .char(let character) = key {
                    return character.isASCII && (character.isNumber || character == ";")
                }
                return false
            })
        else { return (keys, []) }
        return (Array(keys[..<start]), Array(keys[start...]))
    }

    /// Mouse reports arrive as characters (ncurses' KEY_MOUSE is off): an SGR report `Esc [ < 0 ; 10 ; 5 M`, or
    /// an X10 one `Esc [ M b x y` from a terminal that ignored the SGR mode, becomes one mouse key. Every other
    /// key passes through as typed.
    static func combineEscapes(_ keys: [Key], time: Date = Date()) -> [Key] {
        guard keys.contains(.escape) else { return keys }
        var result: [Key] = []
        var index = 0
        while index < keys.count {
            if keys[index] == .escape, index + 2 < keys.count, keys[index + 1] == .char("[") {
                if keys[index + 2] == .char("<") {
                    var body = ""
                    var end = index + 3
                    while end < keys.count, case .char(let character) = keys[end], body.count < 20 {
                        body.append(character)
                        end += 1
                        if character == "M" || character == "m" { break }
                    }
                    if let event = MouseEvent(sgrBody: body, time: time) {
                        result.append(.mouse(event))
                        index = end
                        continue
                    }
                } else if keys[index + 2] == .char("M"), index + 5 < keys.count,
                    let event = x10Event(Array(keys[(index + 3)...(index + 5)]), time: time)
                {
                    result.append(.mouse(event))
                    index += 6
                    continue
                }
            }
            result.append(keys[index])
            index += 1
        }
        return result
    }

    /// The three bytes after `Esc [ M`: button + 32, column + 33, row + 33.
    static func x10Event(_ bytes: [Key], time: Date) -> MouseEvent? {
        let values = bytes.compactMap { key -> Int? in
            guard case .char(let character) = key, let scalar = character.unicodeScalars.first,
                character.unicodeScalars.count == 1, (32...255).contains(scalar.value)
            else { return nil }
            return Int(scalar.value)
        }
        guard values.count == 3, values[1] >= 33, values[2] >= 33 else { return nil }
        let kind: MouseEvent.Kind
        switch (values[0] - 32) & ~(4 | 8 | 16) {
        case 0: kind = .press
        case 3: kind = .release
        case 64: kind = .wheelUp
        case 65: kind = .wheelDown
        default: return nil
        }
        return MouseEvent(kind, x: values[1] - 33, y: values[2] - 33, time: time)
    }

    /// Outside a UTF-8 locale ncurses draws a non-ASCII character as several cells (`M-BM-7`), shifting the
    /// rest of the line: every such character is drawn as one ASCII character instead.
    private let asciiOnly = !NCursesTerminal.localeIsUTF8

    /// The ASCII stand-in for one character.
    static func asciiFallback(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard scalar.value >= 128 else { return scalar }
        switch scalar {
        case "·", "•": return "|"
        case "—", "–", "─", "━": return "-"
        case "…": return "~"
        case "→", "▸", "▶": return ">"
        case "←", "◂": return "<"
        case "↑", "▴", "▲": return "^"
        case "↓", "▾", "▼": return "v"
        case "✓", "✔": return "+"
        case "✗", "✘": return "x"
        case "│", "┃": return "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": return "+"
        default:
            if (0x2580...0x259F).contains(scalar.value) { return "#" }  // block elements (bars)
            return "?"
        }
    }

    /// Blits the buffer: the rows that differ from the screen last drawn (all of them after a resize), each as
    /// runs of equal style, then one doupdate.
    public func draw(_ buffer: Buffer) {
        let area = buffer.area
        let (width, height) = size
        let previous = shown.flatMap { $0.area == area && area.x == 0 && area.y == 0 ? $0 : nil }
        if previous == nil { werase(window) }
        var run: [wchar_t] = []  // one array for every run of the frame (a new one per run cost ~1,000 allocations/s)
        run.reserveCapacity(min(area.width, width) + 1)
        for y in 0..<min(area.height, height) {
            if let previous {
                let row = (y * area.width)..<((y + 1) * area.width)
                if previous.cells[row] == buffer.cells[row] { continue }
                wmove(window, Int32(y), 0)
                wclrtoeol(window)
            }
            var x = 0
            while x < min(area.width, width) {
                guard let first = buffer[x, y] else { break }
                run.removeAll(keepingCapacity: true)
                var end = x
                while end < min(area.width, width), let cell = buffer[end, y], cell.style == first.style {
                    for scalar in cell.symbol.unicodeScalars.prefix(1) {
                        let value = asciiOnly ? Self.asciiFallback(scalar).value : scalar.value
                        run.append(wchar_t(bitPattern: value))
                    }
                    end += 1
                }
                run.append(0)
                let attributes = attributes(for: first.style)
                wattr_set(window, attr_t(attributes.attributes), attributes.pair, nil)
                _ = mvwaddwstr(window, Int32(y), Int32(x), run)  // ERR at the bottom-right cell still draws
                x = end
            }
        }
        wattr_set(window, 0, 0, nil)
        wnoutrefresh(window)
        doupdate()
        shown = buffer
    }

    /// True when standard input hung up (its terminal closed) or is no longer open.
    public var inputClosed: Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return true }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Rings the terminal bell.
    public func bell() { beep() }

    /// Ends ncurses and restores the terminal; safe to call twice.
    public func shutdown() {
        guard !closed else { return }
        closed = true
        if mouseReporting { _ = CNCursesW_mouse(0, nil) }
        if screen == nil && !Self.hasAlternateScreen() {
            // vt100, linux: no alternate screen, so the last frame would stay after quitting.
            wclear(window)
            wrefresh(window)
        }
        endwin()
        if let screen { delscreen(screen) } else { CTermGuard_restore() }
    }

    // MARK: Styles

    struct ColorPairKey: Hashable {
        let foreground: Int16
        let background: Int16
    }

    func attributes(for style: Style) -> (attributes: Int32, pair: Int16) {
        var attributes = CNCursesW_A_NORMAL()
        if style.bold { attributes |= CNCursesW_A_BOLD() }
        if style.dim { attributes |= CNCursesW_A_DIM() }
        if style.reverse { attributes |= CNCursesW_A_REVERSE() }
        if style.underline { attributes |= CNCursesW_A_UNDERLINE() }
        guard colors, style.foreground != .default || style.background != .default else { return (attributes, 0) }
        let key = ColorPairKey(foreground: Self.code(style.foreground), background: Self.code(style.background))
        if let pair = pairs[key] { return (attributes, pair) }
        let pair = Int16(pairs.count + 1)
        guard Int32(pair) < CNCursesW_COLOR_PAIRS() else { return (attributes, 0) }
        init_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        return (attributes, pair)
    }

    static func code(_ color: Color) -> Int16 {
        switch color {
        case .default: -1
        case .black: Int16(COLOR_BLACK)
        case .red: Int16(COLOR_RED)
        case .green: Int16(COLOR_GREEN)
        case .yellow: Int16(COLOR_YELLOW)
        case .blue: Int16(COLOR_BLUE)
        case .magenta: Int16(COLOR_MAGENTA)
        case .cyan: Int16(COLOR_CYAN)
        case .white: Int16(COLOR_WHITE)
        case .gray: CNCursesW_COLORS() >= 16 ? 8 : Int16(COLOR_WHITE)
        }
    }
}

/// ncurses could not start.
public struct TerminalError: Error, CustomStringConvertible {
    /// What failed.
    public let message: String
    /// The text shown to people.
    public var description: String { message }
}

extension NCursesTerminal {
    /// What ncurses holds at (`x`, `y`): the character, its attributes and colour pair (for tests).
    func readBack(x: Int, y: Int) -> (character: Character, attributes: attr_t, pair: Int16)? {
        var cell = cchar_t()
        guard mvwin_wch(window, Int32(y), Int32(x), &cell) != ERR else { return nil }
        var characters = [wchar_t](repeating: 0, count: 8)
        var attributes: attr_t = 0
        var pair: Int16 = 0
        guard getcchar(&cell, &characters, &attributes, &pair, nil) != ERR,
            let scalar = Unicode.Scalar(UInt32(bitPattern: characters[0]))
        else { return nil }
        return (Character(scalar), attributes, pair)
    }

    /// The colour pair's foreground and background (for tests).
    func colors(ofPair pair: Int16) -> (foreground: Int16, background: Int16) {
        var foreground: Int16 = 0
        var background: Int16 = 0
        pair_content(pair, &foreground, &background)
        return (foreground, background)
    }
}
