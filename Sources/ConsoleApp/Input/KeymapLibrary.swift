import FoundationEssentials

/// Finds keymaps: the shipped ones by name (`default`, `vim`, `hatop`), a file by path, and the user's
/// override file `$XDG_CONFIG_HOME/switchboard/keymap.toml`.
public enum KeymapLibrary {
    /// The shipped keymap names.
    public static let shippedNames = ["default", "vim", "hatop"]

    /// The built-in default, used when `Keymaps/` is not installed next to the binary. `Keymaps/default.toml`
    /// must say the same (a test checks it).
    public static let builtInDefault = Keymap(
        name: "default",
        bindings: [
            .init(keys: [.up, .char("k")], action: .moveUp),
            .init(keys: [.down, .char("j")], action: .moveDown),
            .init(keys: [.pageUp], action: .pageUp),
            .init(keys: [.pageDown], action: .pageDown),
            .init(keys: [.home, .char("g")], action: .top),
            .init(keys: [.end, .char("G")], action: .bottom),
            .init(keys: [.left], action: .collapse),
            .init(keys: [.right], action: .expand),
            .init(keys: [.char("c")], action: .toggleGroup),
            .init(keys: [.char("C")], action: .collapseAll),
            .init(keys: [.char("E")], action: .expandAll),
            .init(keys: [.char("/")], action: .filter),
            .init(keys: [.escape], action: .cancel),
            .init(keys: [.char("s")], action: .sortNext),
            .init(keys: [.char("S")], action: .sortReverse),
            .init(keys: [.char("?"), .function(1)], action: .help),
            .init(keys: [.enter], action: .detail),
            .init(keys: [.tab], action: .frontends),
            .init(keys: [.char("p")], action: .pause),
            .init(keys: [.char("+")], action: .faster),
            .init(keys: [.char("-")], action: .slower),
            .init(keys: [.char("r")], action: .refresh),
            .init(keys: [.char("q"), .control("c")], action: .quit),
            .init(keys: [.char(" ")], action: .mark),
            .init(keys: [.char("*")], action: .markEverywhere),
            .init(keys: [.char("d")], action: .drain),
            .init(keys: [.char("e")], action: .ready),
            .init(keys: [.char("m")], action: .maint),
            .init(keys: [.char("w")], action: .weight),
            .init(keys: [.char("h")], action: .health),
            .init(keys: [.char("A")], action: .agent),
            .init(keys: [.char("K")], action: .killSessions),
            .init(keys: [.char("u")], action: .undo),
            .init(keys: [.char("L")], action: .auditLog),
            .init(keys: [.char(":")], action: .commandPalette),
            .init(keys: [.char("!")], action: .rawPrompt),
            .init(keys: [.char("v")], action: .events),
            .init(keys: [.char("F")], action: .failover),
            .init(keys: [.char("B")], action: .failback),
            .init(keys: [.char("D")], action: .redistribute),
            .init(keys: [.char("b")], action: .focus),
            .init(keys: [.char("P")], action: .reapply),
            .init(keys: [.char("=")], action: .makeConsistent),
            .init(keys: [.char("I")], action: .incident),
            .init(keys: [.char("T")], action: .drill),
            .init(keys: [.char("R")], action: .routes),
        ])

    /// Directories searched for shipped keymaps, in order.
    public static func searchDirectories(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String]
    {
        var directories: [String] = []
        if let explicit = environment["SWITCHBOARD_KEYMAPS"], !explicit.isEmpty { directories.append(explicit) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        directories.append(executable.appendingPathComponent("../share/switchboard/keymaps").standardized.path)
        directories.append(executable.appendingPathComponent("Keymaps").path)
        directories.append(sourceDirectory.path)
        return directories
    }

    /// `Keymaps/` of the source checkout this was built from.
    public static let sourceDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Keymaps")

    /// Resolves `--keymap NAME|PATH` (nil = default) and applies the user's override file, if any.
    public static func load(
        _ nameOrPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Keymap {
        var keymap = try base(nameOrPath, environment: environment)
        if let override = userOverridePath(environment: environment), FileManager.default.fileExists(atPath: override) {
            keymap = keymap.overridden(by: try Keymap(contentsOf: override, name: "user"))
        }
        let unbound = keymap.unboundActions
        guard unbound.isEmpty else {
            throw KeymapError(
                file: nameOrPath ?? "default", line: nil,
                problem: "no key for " + unbound.map(\.rawValue).joined(separator: ", "))
        }
        return keymap
    }

    static func base(_ nameOrPath: String?, environment: [String: String]) throws -> Keymap {
        let requested = nameOrPath ?? "default"
        if requested.contains("/") || requested.hasSuffix(".toml") {
            return try Keymap(contentsOf: requested)
        }
        for directory in searchDirectories(environment: environment) {
            let path = directory + "/" + requested + ".toml"
            if FileManager.default.fileExists(atPath: path) { return try Keymap(contentsOf: path, name: requested) }
        }
        if requested == "default" { return builtInDefault }
        throw KeymapError(
            file: requested, line: nil,
            problem:
                "no shipped keymap named '\(requested)'; use one of \(shippedNames.joined(separator: ", ")) or a path")
    }

    /// `$XDG_CONFIG_HOME/switchboard/keymap.toml`, or `~/.config/switchboard/keymap.toml`.
    public static func userOverridePath(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/switchboard/keymap.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/switchboard/keymap.toml" }
        return nil
    }
}
