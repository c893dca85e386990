import Foundation
import SnapshotTesting
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// Goldens of the command line's per-node preview and result table on three real balancers (named lb1–lb3
/// in a targets file; `--serial`, so the order is the same every run). Temporary paths and intent ids are
/// replaced by placeholders; everything else is compared as printed.
@Suite("Fleet action tables on the command line (goldens)", .serialized, .timeLimit(.minutes(3)))
struct FleetTableGoldenTests {
    static func targets(_ labs: [Lab], extra: [String: String] = [:]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-golden-\(UUID()).toml")
            .path
        var text = ""
        for (index, lab) in labs.enumerated() {
            let name = "lb\(index + 1)"
            text += "[balancers.\(name)]\naddress = \"\(lab.adminSocket)\"\n\(extra[name] ?? "")\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The output with the labs' directories and the intent ids replaced.
    static func normalised(_ text: String, _ labs: [Lab]) -> String {
        var text = text
        for (index, lab) in labs.enumerated() {
            text = text.replacingOccurrences(of: lab.directory, with: "<lab\(index + 1)>")
        }
        return text.replacingOccurrences(
            of: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", with: "<intent>",
            options: .regularExpression)
    }

    /// Three labs named lb1–lb3 in a targets file (`extra` lines per name), removed afterwards.
    static func withThree(
        extra: [String: String] = [:], _ body: (_ labs: [Lab], _ targets: String) async throws -> Void
    ) async throws {
        try await Lab.with(.demo) { lab1 in
            try await Lab.with(.demo) { lab2 in
                try await Lab.with(.demo) { lab3 in
                    let labs = [lab1, lab2, lab3]
                    let file = try Self.targets(labs, extra: extra)
                    defer { try? FileManager.default.removeItem(atPath: file) }
                    try await body(labs, file)
                }
            }
        }
    }

    static func assertGolden(
        _ text: String, named name: String, fileID: StaticString = #fileID, filePath: StaticString = #filePath,
        testName: String = #function, line: UInt = #line, column: UInt = #column
    ) {
        let record: SnapshotTestingConfiguration.Record =
            ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true ? .never : .missing
        withSnapshotTesting(record: record) {
            assertSnapshot(
                of: text, as: .lines, named: name, fileID: fileID, file: filePath, testName: testName, line: line,
                column: column)
        }
    }

    @Test func previewAndResultTableWhenEveryBalancerVerifies() async throws {
        try await Self.withThree { labs, file in
            let result = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--yes", "--serial", "--targets", file],
                environment: ActionCommandTests.environment(labs[0]))
            #expect(result.status == 0, "\(result.standardError)")
            Self.assertGolden(Self.normalised(result.standardOutput, labs), named: "verified")
        }
    }

    @Test func aBalancerThatCannotTakePartRefusesEverythingBeforeSending() async throws {
        try await Self.withThree(extra: ["lb3": "read_only = true"]) { labs, file in
            let result = try await BuiltProgram.run(
                ["maint", "be_web/web2", "--yes", "--targets", file],
                environment: ActionCommandTests.environment(labs[0]))
            #expect(result.status == 7, "\(result.standardError)")
            Self.assertGolden(
                Self.normalised(result.standardOutput + "--- stderr\n" + result.standardError, labs), named: "refused")
        }
    }

    @Test func aBalancerLostMidRunAndTheRollbackInTheTable() async throws {
        try await Self.withThree { labs, file in
            let run = Task {
                try await BuiltProgram.run(
                    ["drain", "be_web/web3", "--yes", "--serial", "--pause", "2", "--targets", file],
                    environment: ActionCommandTests.environment(labs[0]))
            }
            try await Deadline.waitUntil("web3 drained on lb1") {
                try await FleetActionCommandTests.mode(labs[0], "web3") == .drain
            }
            await labs[1].stopBalancer()
            let result = try await run.value
            #expect(result.status == 5, "\(result.standardError)")
            Self.assertGolden(Self.normalised(result.standardOutput, labs), named: "rolled-back")
        }
    }
}
