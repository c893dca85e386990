import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` (the git commit the binary is built from) before each build of the target that uses
/// it, so `switchboard --version` names the exact source. Outside a git checkout the commit is `unknown`; a
/// checkout with uncommitted changes gets `-dirty`. The file is rewritten only when its text changes, so an
/// unchanged tree does not rebuild.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo")
        let script = """
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null | head -1)" ]; then
              commit="$commit-dirty"
            fi
            mkdir -p "$2"
            text="/// The git commit this binary was built from (written by BuildInfoPlugin).
            enum BuildInfo { static let commit = \\"$commit\\" }"
            [ "$(cat "$2/BuildInfo.swift" 2>/dev/null)" = "$text" ] || printf '%s\\n' "$text" > "$2/BuildInfo.swift"
            """
        return [
            .prebuildCommand(
                displayName: "Recording the git commit for --version",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
                outputFilesDirectory: output)
        ]
    }
}
