import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Fuzz-style: damaged `show stat` / `show servers state` never crash; they give a clear error or a
/// partial snapshot.
@Suite("Damaged output")
struct DamagedOutputTests {
    static let info = BalancerInfo(version: "2.6", pid: 1, uptimeSeconds: 1)

    @Test func truncatedAtEveryLength() throws {
        let text = Array(try Fixtures.text("show-stat.csv").utf8)
        for length in stride(from: 0, through: text.count, by: 7) {
            let prefix = Array(text[0..<length])
            if let table = try? StatTable(bytes: prefix) {
                let snapshot = SnapshotBuilder.build(info: Self.info, stat: table)
                #expect(snapshot.allServers.count <= 14)
            }
        }
    }

    @Test func rowsWithMissingOrExtraColumnsAreDroppedAndCounted() throws {
        let lines = try Fixtures.text("show-stat.csv").split(separator: "\n").map(String.init)
        var damaged = [lines[0]]
        for (index, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            switch index % 5 {
            case 0: damaged.append(fields.prefix(5).joined(separator: ","))  // missing columns
            case 1: damaged.append(line + "x,y,z,1,2,3")  // extra columns
            default: damaged.append(line)
            }
        }
        let table = try StatTable(parsing: damaged.joined(separator: "\n"))
        let dropped = (0..<(lines.count - 1)).filter { $0 % 5 < 2 }.count
        #expect(table.skippedLines == dropped)
        #expect(table.rowCount == lines.count - 1 - dropped)
        let snapshot = SnapshotBuilder.build(info: Self.info, stat: table)
        #expect(snapshot.droppedRecords == dropped)
        #expect(StatusTable.render(snapshot).contains("PARTIAL: \(dropped) damaged record(s)"))
        #expect(StatusDocument(snapshot: snapshot).balancer.droppedRecords == dropped)
        // Every row kept has all its columns: nothing shifted.
        for server in snapshot.allServers { #expect(server.fields?["status"] != nil) }
    }

    @Test func mostlyDamagedOutputIsRefusedAsUnreadable() throws {
        let lines = try Fixtures.text("show-stat.csv").split(separator: "\n").map(String.init)
        let damaged =
            [lines[0]] + lines.dropFirst().enumerated().map { $0.offset % 3 == 2 ? $0.element : $0.element + ",x" }
        #expect(throws: SwitchboardError.self) { try StatTable(parsing: damaged.joined(separator: "\n")) }
        do {
            _ = try StatTable(parsing: damaged.joined(separator: "\n"))
        } catch let error as SwitchboardError {
            #expect(error.code == .malformedOutput)
            #expect(error.message.contains("unreadable"))
        }
    }

    /// Defect 6: binary garbage after a valid header was accepted as 398 "backends".
    @Test func binaryGarbageAfterAValidHeaderIsRefused() throws {
        let header = try Fixtures.text("show-stat.csv").split(separator: "\n")[0]
        var generator = SplitMix(seed: 7)
        var bytes = Array((header + "\n").utf8)
        for _ in 0..<40_000 { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
        #expect {
            try StatTable(bytes: bytes)
        } throws: { error in
            (error as? SwitchboardError)?.code == .malformedOutput
        }
    }

    @Test func namesOutsideHAProxysAlphabetOrTextInNumbersDropTheRow() throws {
        let text = """
            # pxname,svname,scur,status,
            be,s1,3,UP,
            be,s\u{01}x,3,UP,
            be,s 3,1,UP,
            be,s4,abc,UP,
            be,s5,7,DOWN,
            be,s6,8,UP,
            be,s7,9,UP,
            be,s8,1,UP,

            """
        let table = try StatTable(parsing: text)
        #expect(table.skippedLines == 3)
        let names = (0..<table.rowCount).compactMap { table.string(row: $0, "svname") }
        #expect(names == ["s1", "s5", "s6", "s7", "s8"])
    }

    @Test func garbageBytes() throws {
        var generator = SplitMix(seed: 42)
        let original = Array(try Fixtures.text("show-stat.csv").utf8)
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<20 {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if let table = try? StatTable(bytes: bytes) {
                _ = SnapshotBuilder.build(info: Self.info, stat: table)
            }
            _ = try? ServersState(parsing: String(decoding: bytes, as: UTF8.self))
            _ = try? ShowInfo(parsing: String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func tooShortLinesAreSkippedAndCounted() throws {
        let table = try StatTable(parsing: "# pxname,svname,status,\nbe,s1,UP,\nlonely\n\nbe,s2,DOWN,\n")
        #expect(table.rowCount == 2)
        #expect(table.skippedLines == 1)
    }

    @Test func serversStateWithoutHeader() {
        #expect(throws: SwitchboardError.self) { try ServersState(parsing: "1\n3 be 1 s 127.0.0.1 2 0 1 1\n") }
    }

    @Test func numbersThatOverflowDropTheRow() throws {
        let table = try StatTable(
            parsing: "# pxname,svname,scur,\nbe,s,99999999999999999999999,\nbe,t,1,\nbe,u,2,\n")
        #expect(table.skippedLines == 1)
        #expect(table.string(row: 0, "svname") == "t")
    }
}

/// A tiny deterministic generator so the fuzz test is reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
