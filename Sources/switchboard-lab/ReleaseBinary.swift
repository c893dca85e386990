import ArgumentParser
import Foundation

/// The `switchboard` built next to this tool (the benchmarks measure the release console).
enum ReleaseBinary {
    static func switchboard() throws -> String {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("switchboard").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("build it first: swift build -c release --product switchboard")
        }
        return binary
    }
}
