import Foundation
import Testing

/// The `switchboard` binary links FoundationEssentials only: Foundation (NSString, CoreFoundation, ICU) made its
/// resident code about 4 MB larger (README, Performance). MemberImportVisibility (Package.swift) keeps a module
/// from using Foundation's members through a dependency's import; this keeps a file from importing it.
@Suite("No Foundation in the binary")
struct NoFoundationInTheBinaryTests {
    static let modules = [
        "SwitchboardCore", "HAProxyDriver", "SwitchboardTargets", "SwitchboardOps", "TerminalUI", "ConsoleApp",
        "ConsoleRuntime", "NCursesBackend", "SwitchboardLab", "switchboard",
    ]

    @Test func noSourceOfTheBinaryImportsFoundation() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var checked = 0
        var offenders: [String] = []
        for module in Self.modules {
            let directory = root.appendingPathComponent("Sources/\(module)")
            let files = try #require(FileManager.default.enumerator(atPath: directory.path))
            for case let file as String in files where file.hasSuffix(".swift") {
                checked += 1
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                let importsFoundation = text.split(separator: "\n").contains { line in
                    let words = line.split(separator: " ")
                    guard let at = words.firstIndex(of: "import"), at + 1 < words.count else { return false }
                    let module = words[at + 1]
                    return module == "Foundation" || module.hasPrefix("Foundation.")
                }
                if importsFoundation { offenders.append("\(module)/\(file)") }
            }
        }
        #expect(checked > 100)
        #expect(offenders.isEmpty, "import FoundationEssentials instead: \(offenders)")
    }
}
