// swift-tools-version:6.0
import PackageDescription

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
                "SwitchboardCore",
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
