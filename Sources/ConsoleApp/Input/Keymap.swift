import FoundationEssentials
import SwitchboardCore
import TOMLKit

/// Key bindings: one binding is keys + action + help text, so one table drives both dispatch and the
/// help screen. Loaded from TOML files such as `Keymaps/default.toml`:
///
/// ```toml
/// [[bind]]
/// keys = ["Down", "j"]
/// action = "move-down"
/// help = "Move down"
/// ```
public struct Keymap: Hashable, Sendable {
    /// One binding.
    public struct Binding: Hashable, Sendable {
        /// The keys that trigger it.
        public var keys: [Key]
        /// What it does.
        public var action: Action
        /// The help text.
        public var help: String

        /// Makes a binding.
        public init(keys: [Key], action: Action, help: String? = nil) {
            self.keys = keys
            self.action = action
            self.help = help ?? action.defaultHelp
        }
    }

    /// The keymap's name (`default`, `vim`, a file name…).
    public var name: String
    /// `mouse = false` at the top of the file turns mouse reporting off (true turns it on; nil: not said).
    public var mouse: Bool?
    /// The bindings, in help-screen order.
    public private(set) var bindings: [Binding]
    private var index: [Key: Action]

    /// Makes a keymap; a key bound twice goes to the first binding.
    public init(name: String, bindings: [Binding], mouse: Bool? = nil) {
        self.name = name
        self.mouse = mouse
        self.bindings = bindings
        var index: [Key: Action] = [:]
        for binding in bindings {
            for key in binding.keys where index[key] == nil { index[key] = binding.action }
        }
        self.index = index
    }

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> Action? { index[key] }

    /// The keys bound to `action`.
    public func keys(for action: Action) -> [Key] { bindings.filter { $0.action == action }.flatMap(\.keys) }

    /// Actions with no key.
    public var unboundActions: [Action] { Action.allCases.filter { keys(for: $0).isEmpty } }

    /// This keymap with `overrides` replacing the bindings of the actions they name (a user's
    /// `keymap.toml` overrides single bindings, keeping the rest).
    public func overridden(by overrides: Keymap) -> Keymap {
        let replaced = Set(overrides.bindings.map(\.action))
        let overriddenKeys = Set(overrides.bindings.flatMap(\.keys))
        var merged: [Binding] = []
        for binding in bindings {
            if replaced.contains(binding.action) {
                if let first = overrides.bindings.first(where: { $0.action == binding.action }),
                    !merged.contains(where: { $0.action == first.action })
                {
                    merged.append(contentsOf: overrides.bindings.filter { $0.action == binding.action })
                }
            } else {
                var kept = binding
                kept.keys.removeAll { overriddenKeys.contains($0) }
                merged.append(kept)
            }
        }
        for binding in overrides.bindings where !merged.contains(binding) { merged.append(binding) }
        return Keymap(name: "\(name)+\(overrides.name)", bindings: merged, mouse: overrides.mouse ?? mouse)
    }
}

/// A keymap file that cannot be used, with the file, the line and the problem.
public struct KeymapError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// What is wrong.
    public var problem: String

    /// The text shown to people.
    public var description: String {
        if let line { return "keymap \(file), line \(line): \(problem)" }
        return "keymap \(file): \(problem)"
    }
}

extension Keymap {
    /// Parses a keymap file's text; `file` is used in errors.
    public init(toml text: String, name: String, file: String) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw KeymapError(file: file, line: error.source.begin.line, problem: error.description)
        }
        func lineOf(_ needle: String, after start: Int = 0) -> Int? {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (offset, line) in lines.enumerated() where offset >= start && line.contains(needle) {
                return offset + 1
            }
            return nil
        }
        func bindHeaderLine(after start: Int) -> Int? {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (offset, line) in lines.enumerated()
            where offset >= start && line.trimmingSpaces() == "[[bind]]" {
                return offset + 1
            }
            return nil
        }
        for key in table.keys where key != "bind" && key != "mouse" {
            throw KeymapError(
                file: file, line: lineOf(key),
                problem: "unknown key '\(key)' (expected [[bind]] entries and optionally mouse = true|false)")
        }
        var mouse: Bool?
        if let value = table["mouse"] {
            guard let flag = value.bool else {
                throw KeymapError(file: file, line: lineOf("mouse"), problem: "mouse must be true or false")
            }
            mouse = flag
        }
        // An override file may say only `mouse = false`.
        guard let entries = table["bind"]?.array ?? (mouse != nil ? TOMLArray() : nil) else {
            throw KeymapError(file: file, line: nil, problem: "no [[bind]] entries")
        }
        var bindings: [Binding] = []
        var searchFrom = 0
        for (position, entry) in entries.enumerated() {
            let entryLine = bindHeaderLine(after: searchFrom)
            searchFrom = entryLine ?? searchFrom
            guard let binding = entry.table else {
                throw KeymapError(file: file, line: entryLine, problem: "bind entry \(position + 1) is not a table")
            }
            for field in binding.keys where !["keys", "action", "help"].contains(field) {
                throw KeymapError(
                    file: file, line: lineOf(field, after: searchFrom - 1),
                    problem: "unknown field '\(field)' (expected keys, action, help)")
            }
            guard let actionName = binding["action"]?.string else {
                throw KeymapError(file: file, line: entryLine, problem: "bind entry \(position + 1) has no action")
            }
            guard let action = Action(rawValue: actionName) else {
                let known = Action.allCases.map(\.rawValue).joined(separator: ", ")
                throw KeymapError(
                    file: file, line: lineOf("\"\(actionName)\"", after: searchFrom - 1),
                    problem: "unknown action '\(actionName)'; known actions: \(known)")
            }
            guard let keyValues = binding["keys"]?.array, !keyValues.isEmpty else {
                throw KeymapError(file: file, line: entryLine, problem: "action '\(actionName)' has no keys")
            }
            var keys: [Key] = []
            for value in keyValues {
                guard let keyName = value.string, let key = Key(name: keyName) else {
                    let shown = value.string ?? "\(value)"
                    throw KeymapError(
                        file: file, line: lineOf("\"\(shown)\"", after: searchFrom - 1),
                        problem: "unknown key '\(shown)' (use a character, Space, Up, Down, Left, Right, PgUp, PgDn, "
                            + "Home, End, Enter, Esc, Tab, S-Tab, Backspace, Delete, F1–F12 or C-a…C-z)")
                }
                keys.append(key)
            }
            bindings.append(Binding(keys: keys, action: action, help: binding["help"]?.string))
        }
        self.init(name: name, bindings: bindings, mouse: mouse)
    }

    /// Loads a keymap file.
    public init(contentsOf path: String, name: String? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeymapError(file: path, line: nil, problem: "cannot read the file")
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        try self.init(toml: String(decoding: data, as: UTF8.self), name: name ?? base, file: path)
    }
}
