import FoundationEssentials
import SwitchboardCore
import TOMLKit
import TerminalUI

/// A theme file that cannot be used: the file, the line when known, and what is wrong.
public struct ThemeError: Error, CustomStringConvertible, Sendable {
    /// The file.
    public var file: String
    /// The line (1-based), when known.
    public var line: Int?
    /// What is wrong.
    public var problem: String

    /// `theme light.toml, line 4: unknown colour 'purple' …`.
    public var description: String { "theme \(file)\(line.map { ", line \($0)" } ?? ""): \(problem)" }
}

extension Palette {
    /// Parses a theme file: `[styles]` with one `ROLE = "STYLE"` per role to change, a style being words —
    /// a colour (the foreground), `on COLOUR` (the background), `bold`, `dim`, `reverse`, `underline`.
    ///
    /// ```toml
    /// [styles]
    /// up = "green"
    /// badge-admin = "white on red bold"
    /// ```
    public init(toml text: String, name: String, file: String) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError(file: file, line: error.source.begin.line, problem: error.description)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func lineOf(_ key: String) -> Int? {
            lines.firstIndex { $0.trimmingSpaces().hasPrefix(key) }.map { $0 + 1 }
        }
        for key in table.keys where key != "styles" {
            throw ThemeError(file: file, line: lineOf(key), problem: "unknown key '\(key)' (expected a [styles] table)")
        }
        guard let styles = table["styles"]?.table else {
            throw ThemeError(file: file, line: nil, problem: "no [styles] table")
        }
        var parsed: [Role: Style] = [:]
        for key in styles.keys {
            guard let role = Role(rawValue: key) else {
                throw ThemeError(
                    file: file, line: lineOf(key),
                    problem: "unknown role '\(key)'; roles: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let text = styles[key]?.string else {
                throw ThemeError(file: file, line: lineOf(key), problem: "\(key) must be a string such as \"red bold\"")
            }
            do {
                parsed[role] = try Self.style(text)
            } catch let problem as ThemeError {
                throw ThemeError(file: file, line: lineOf(key), problem: "\(key): \(problem.problem)")
            }
        }
        self.init(name: name, styles: parsed)
    }

    /// Loads a theme file.
    public init(contentsOf path: String, name: String? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(file: path, line: nil, problem: "cannot read the file")
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        try self.init(toml: String(decoding: data, as: UTF8.self), name: name ?? base, file: path)
    }

    /// A style from its words (`white on red bold`).
    static func style(_ text: String) throws -> Style {
        var style = Style()
        var words = text.split(separator: " ").map { $0.lowercased() }[...]
        var sawForeground = false
        while let word = words.popFirst() {
            switch word {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            case "on":
                guard let name = words.popFirst(), let colour = colour(name) else {
                    throw ThemeError(file: "", line: nil, problem: "'on' needs a colour (\(colourNames))")
                }
                style.background = colour
            default:
                guard let colour = colour(word), !sawForeground else {
                    throw ThemeError(
                        file: "", line: nil,
                        problem: "unknown word '\(word)' (use one colour — \(colourNames) — `on COLOUR`, bold, dim, "
                            + "reverse, underline)")
                }
                style.foreground = colour
                sawForeground = true
            }
        }
        return style
    }

    static func colour(_ name: String) -> Color? {
        name == "grey" ? .gray : Color.allCases.first { "\($0)" == name }
    }

    static var colourNames: String { Color.allCases.map { "\($0)" }.joined(separator: ", ") }
}

/// Finds themes: the shipped ones by name (`default`, `light`, `high-contrast`) or a file by path.
public enum ThemeLibrary {
    /// The shipped theme names.
    public static let shippedNames = ["default", "light", "high-contrast"]

    /// Directories searched for shipped themes, in order (as for keymaps).
    public static func searchDirectories(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String]
    {
        var directories: [String] = []
        if let explicit = environment["SWITCHBOARD_THEMES"], !explicit.isEmpty { directories.append(explicit) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        directories.append(executable.appendingPathComponent("../share/switchboard/themes").standardized.path)
        directories.append(executable.appendingPathComponent("Themes").path)
        directories.append(sourceDirectory.path)
        return directories
    }

    /// `Themes/` of the source checkout this was built from.
    public static let sourceDirectory = KeymapLibrary.sourceDirectory.deletingLastPathComponent()
        .appendingPathComponent("Themes")

    /// Resolves `--theme NAME|PATH` (nil: the default).
    public static func load(_ nameOrPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> Palette
    {
        let requested = nameOrPath ?? "default"
        if requested.contains("/") || requested.hasSuffix(".toml") { return try Palette(contentsOf: requested) }
        for directory in searchDirectories(environment: environment) {
            let path = directory + "/" + requested + ".toml"
            if FileManager.default.fileExists(atPath: path) { return try Palette(contentsOf: path, name: requested) }
        }
        if requested == "default" { return .standard }
        throw ThemeError(
            file: requested, line: nil,
            problem:
                "no shipped theme named '\(requested)'; use one of \(shippedNames.joined(separator: ", ")) or a path")
    }
}
