import Foundation
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// Issue 13: `switchboard --version` names what was built, and the README's install steps give a binary that runs
/// on a machine without Swift — built exactly as documented (release, `--static-swift-stdlib`), installed under a
/// prefix, run under `env -i` against a real haproxy, with no Swift library resolved (`ldd`).
@Suite("Install and --version", .serialized, .timeLimit(.minutes(20)))
struct InstallTests {
    static func git(_ arguments: [String]) async throws -> String {
        let result = try await BuiltProgram.run(
            ["-C", Fixtures.packageRoot.path] + arguments, executable: URL(fileURLWithPath: "/usr/bin/git"))
        return result.status == 0 ? result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) : ""
    }

    @Test func versionNamesTheReleaseAndTheCommit() async throws {
        let result = try await BuiltProgram.run(["--version"])
        #expect(result.status == 0, "\(result.standardError)")
        let line = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            line.range(
                of: #"^switchboard [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{12}(-dirty)?\)$"#,
                options: .regularExpression) != nil, "\(line)")
        let head = try await Self.git(["rev-parse", "--short=12", "HEAD"])
        if !head.isEmpty { #expect(line.contains("commit \(head)"), "built from \(head): \(line)") }
    }

    /// True when this machine's glibc is 2.36 or later (it loads packed relocations).
    static func glibcIsAtLeast236() -> Bool {
        var buffer = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return false }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let numbers = text.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) }
        guard let numbers, numbers.count >= 2 else { return false }
        return (numbers[0], numbers[1]) >= (2, 36)
    }

    /// The swift driver on PATH (the toolchain the tests were built with).
    static func swift() throws -> URL {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("swift")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw SwitchboardTestFailure("swift is not on PATH")
    }

    struct SwitchboardTestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func theStaticReleaseBinaryRunsWithoutSwiftFromItsPrefix() async throws {
        // Its own scratch directory: the test run holds the lock of .build.
        let scratch = Fixtures.packageRoot.appendingPathComponent(".build/install-test").path
        let build = try await BuiltProgram.run(
            [
                "build", "--package-path", Fixtures.packageRoot.path, "--scratch-path", scratch, "-c", "release",
                "--static-swift-stdlib", "--product", "switchboard",
            ], executable: try Self.swift(), timeout: .seconds(1_080))
        #expect(build.status == 0, "\(build.standardOutput.suffix(3_000))\(build.standardError.suffix(3_000))")
        let built = scratch + "/release/switchboard"
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-prefix-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let install = try await BuiltProgram.run(
            ["install", "--prefix", prefix], executable: URL(fileURLWithPath: built))
        #expect(install.status == 0, "\(install.standardError)")
        let installed = prefix + "/bin/switchboard"
        for file in [
            "share/switchboard/keymaps/default.toml", "share/switchboard/keymaps/vim.toml",
            "share/switchboard/themes/light.toml", "share/bash-completion/completions/switchboard",
            "share/zsh/site-functions/_switchboard", "share/fish/vendor_completions.d/switchboard.fish",
        ] {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) not installed")
        }
        // No Swift library resolved: none named, none from the toolchain's directory.
        let ldd = try await BuiltProgram.run([installed], executable: URL(fileURLWithPath: "/usr/bin/ldd"))
        #expect(ldd.status == 0, "\(ldd.standardError)")
        let swiftLibraries = ldd.standardOutput.split(separator: "\n").filter {
            $0.contains("libswift") || $0.contains("Foundation") || $0.contains("libdispatch")
                || $0.contains("/swift/") || $0.contains("not found")
        }
        #expect(swiftLibraries.isEmpty, "\(ldd.standardOutput)")
        // Its memory (README, Performance): libstdc++ linked in where GCC's archive is installed, and packed
        // relocations where glibc is 2.36 or later (Package.swift, consoleLinking).
        let gccArchives = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/gcc/x86_64-linux-gnu")
            .filter { FileManager.default.fileExists(atPath: "/usr/lib/gcc/x86_64-linux-gnu/\($0)/libstdc++.a") }
        if !(gccArchives ?? []).isEmpty {
            #expect(!ldd.standardOutput.contains("libstdc++"), "\(ldd.standardOutput)")
        }
        if Self.glibcIsAtLeast236(), FileManager.default.isExecutableFile(atPath: "/usr/bin/ld.bfd"),
            ProcessInfo.processInfo.environment["SWITCHBOARD_PORTABLE_LINK"] != "1"
        {
            let sections = try await BuiltProgram.run(
                ["-SW", installed], executable: URL(fileURLWithPath: "/usr/bin/readelf"))
            #expect(sections.standardOutput.contains(".relr.dyn"), "packed relocations")
        }
        // A clean environment (no PATH, no LD_LIBRARY_PATH, no HOME): --version, the bash completion parses, and a
        // real command against a real haproxy.
        let version = try await BuiltProgram.run(
            ["-i", installed, "--version"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(version.status == 0 && version.standardOutput.hasPrefix("switchboard "), "\(version.standardError)")
        let bash = try await BuiltProgram.run(
            ["-n", prefix + "/share/bash-completion/completions/switchboard"],
            executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(bash.status == 0, "\(bash.standardError)")
        try await Lab.with(.demo) { lab in
            let status = try await BuiltProgram.run(
                ["-i", installed, "status", "--socket", lab.adminSocket, "--json"],
                executable: URL(fileURLWithPath: "/usr/bin/env"))
            #expect(status.status == 0, "\(status.standardError)")
            #expect(status.standardOutput.contains("\"be_web\""))
        }
        // The installed binary takes the shipped theme and keymap by name (checked before any terminal is needed;
        // without one it then says the console needs a terminal).
        let theme = try await BuiltProgram.run(
            ["-i", "TERM=xterm", installed, "--socket", "/nonexistent.sock", "--theme", "light", "--keymap", "vim"],
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(!theme.standardError.contains("theme"), "\(theme.standardError)")
        #expect(!theme.standardError.contains("keymap"), "\(theme.standardError)")
        #expect(theme.standardError.contains("needs a terminal"), "\(theme.standardError)")
    }
}
