// swift-tools-version:6.0
import PackageDescription

#if canImport(Glibc)
    import Glibc
#endif

/// This machine's glibc as (major, minor), nil when it is not glibc.
func glibcVersion() -> (major: Int, minor: Int)? {
    #if canImport(Glibc)
        var buffer = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let numbers = text.split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    #else
        return nil
    #endif
}

/// How the `switchboard` binary is linked, for its memory (README, Performance: what holds the memory):
/// - `--no-export-dynamic`: the static Swift stdlib's link arguments export every symbol of the binary (1.1 MB of
///   dynamic symbol tables that the loader searches at every start); nothing looks our symbols up dynamically.
/// - GNU ld with packed relative relocations (`-z pack-relative-relocs`, DT_RELR) where glibc loads them (2.36 and
///   later): the 1.4 MB of PIE relocations read at every start become 19 KB, and the binary keeps its address
///   randomisation. gold, the Swift driver's default linker, cannot pack them; elsewhere the link is gold's.
///   Such a binary needs glibc 2.36 where it runs: `SWITCHBOARD_PORTABLE_LINK=1` builds one for older hosts
///   (Ubuntu 22.04) with gold, as before.
/// - libstdc++ linked in (the Swift runtime and TOMLKit's toml++ use it): the shared library cost 1.4 MB resident
///   at every start (its relocations, and toml++'s iostream initialisation faulting its code in). `-lstdc++` finds
///   the linker script `Sources/switchboard/Linking/libstdc++.so` first, which names `libstdc++.a` (when GCC's
///   archive is installed: `libstdc++-12-dev` on Debian 12, which Swift itself needs).
let consoleLinking: [LinkerSetting] = {
    var flags = ["-Xlinker", "--no-export-dynamic"]
    #if canImport(Glibc)
        var archives = glob_t()
        defer { globfree(&archives) }
        if glob("/usr/lib/gcc/*/*/libstdc++.a", 0, nil, &archives) == 0 && archives.gl_pathc > 0 {
            flags += ["-L", Context.packageDirectory + "/Sources/switchboard/Linking"]
        }
        let portable = getenv("SWITCHBOARD_PORTABLE_LINK").map { String(cString: $0) == "1" } ?? false
        if !portable, let glibc = glibcVersion(), glibc >= (2, 36), access("/usr/bin/ld.bfd", X_OK) == 0 {
            flags += ["-use-ld=bfd", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]
        }
    #endif
    return [.unsafeFlags(flags)]
}()

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .library(name: "SwitchboardCore", targets: ["SwitchboardCore"]),
        .library(name: "HAProxyDriver", targets: ["HAProxyDriver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.17.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // Pure domain: model, parsers of real HAProxy output, validated commands, errors, driver protocol.
        .target(name: "SwitchboardCore"),
        // BalancerDriver over HAProxy's Runtime API (unix or TCP control socket), on SwiftNIO.
        .target(
            name: "HAProxyDriver",
            dependencies: [
                "SwitchboardCore", "CSpawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The targets file: named balancers (address, label, colour, read-only, timeout, ssh settings) and groups.
        .target(
            name: "SwitchboardTargets",
            dependencies: ["SwitchboardCore", .product(name: "TOMLKit", package: "TOMLKit")]),
        // Runs operator actions: send, verify against the balancer, append the audit record.
        .target(name: "SwitchboardOps", dependencies: ["SwitchboardCore"]),
        // Pure TUI kit: cells, styles, rectangles, Buffer, widgets (no ncurses here).
        .target(name: "TerminalUI"),
        // The console as values: Model, Msg, Effect, update, render(model) -> Buffer, keymaps.
        .target(
            name: "ConsoleApp",
            dependencies: [
                "SwitchboardCore", "SwitchboardOps", "TerminalUI", .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The loop: keys, resize, ticks and driver results into update; effects out. Generic over the terminal.
        .target(
            name: "ConsoleRuntime", dependencies: ["ConsoleApp", "SwitchboardCore", "SwitchboardOps", "TerminalUI"]),
        // ncurses, and only here.
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncurses-dev"])]),
        .target(name: "CTermGuard"),
        // glibc's posix_spawn extensions for ChildProcess (the console binary does not link Foundation's Process).
        .target(name: "CSpawn"),
        .target(
            name: "NCursesBackend",
            dependencies: ["CNCursesW", "CTermGuard", "ConsoleApp", "ConsoleRuntime", "TerminalUI", "SwitchboardOps"]
        ),
        // A real haproxy on loopback with demo origins and bounded traffic: `switchboard demo` and the test lab.
        .target(
            name: "SwitchboardLab",
            dependencies: [
                "SwitchboardCore", "HAProxyDriver",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardCore", "HAProxyDriver", "SwitchboardLab", "ConsoleApp", "ConsoleRuntime", "NCursesBackend",
                "SwitchboardOps", "CTermGuard", "SwitchboardTargets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Linking"],
            linkerSettings: consoleLinking,
            plugins: ["BuildInfoPlugin"]
        ),
        // Developer tool: records the parser fixtures from a real haproxy.
        .executableTarget(
            name: "switchboard-lab",
            dependencies: [
                "SwitchboardTestSupport", "SwitchboardLab", "HAProxyDriver", "SwitchboardCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark: `swift run -c release switchboard-bench` (figures in the README, never in a timed test).
        .executableTarget(
            name: "switchboard-bench",
            dependencies: ["SwitchboardCore", "SwitchboardTestSupport", "ConsoleApp"]
        ),
        // Records the git commit for `switchboard --version` before each build (runs /bin/sh and git; no network).
        .plugin(name: "BuildInfoPlugin", capability: .buildTool(), path: "Sources/BuildInfoPlugin"),
        // Test support as a module: fixtures, deadlines, the lab, the built binary.
        .target(
            name: "SwitchboardTestSupport",
            dependencies: ["SwitchboardCore", "HAProxyDriver", "SwitchboardLab"]
        ),
        .testTarget(
            name: "SwitchboardCoreTests",
            dependencies: [
                "SwitchboardCore", "SwitchboardTestSupport", "SwitchboardTargets",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
        ),
        .testTarget(
            name: "HAProxyDriverTests",
            dependencies: [
                "HAProxyDriver", "SwitchboardCore", "SwitchboardLab", "SwitchboardTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(
            name: "SwitchboardOpsTests",
            dependencies: [
                "SwitchboardOps", "SwitchboardCore", "HAProxyDriver", "SwitchboardLab", "SwitchboardTestSupport",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "ConsoleAppTests",
            dependencies: [
                "ConsoleApp", "TerminalUI", "SwitchboardCore", "SwitchboardTestSupport",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "ConsoleRuntimeTests",
            dependencies: [
                "ConsoleRuntime", "ConsoleApp", "TerminalUI", "SwitchboardCore", "HAProxyDriver", "SwitchboardLab",
                "SwitchboardTestSupport", "SwitchboardOps",
            ]
        ),
        .testTarget(name: "NCursesBackendTests", dependencies: ["NCursesBackend", "CNCursesW", "TerminalUI"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SwitchboardCore", "SwitchboardLab", "SwitchboardTestSupport", "HAProxyDriver", "SwitchboardOps",
            ]
        ),
        .testTarget(
            name: "SwitchboardCLITests",
            dependencies: [
                "SwitchboardCore", "SwitchboardLab", "SwitchboardTestSupport", "SwitchboardOps", "HAProxyDriver",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"]
        ),
    ]
)

// The `switchboard` binary links FoundationEssentials, not Foundation (whose NSString, CoreFoundation and ICU made
// a third of its resident code). TOMLKit's `import struct Foundation.Data` loads Foundation into every module
// that imports TOMLKit; with MemberImportVisibility a file sees only the members of modules it imports itself, so
// no Foundation overload (`contains`, `range(of:)`) is picked by accident and pulled into the link.
let linkedIntoTheBinary: Set = [
    "SwitchboardCore", "HAProxyDriver", "SwitchboardTargets", "SwitchboardOps", "TerminalUI", "ConsoleApp",
    "ConsoleRuntime", "NCursesBackend", "SwitchboardLab", "switchboard",
]
for target in package.targets where linkedIntoTheBinary.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
