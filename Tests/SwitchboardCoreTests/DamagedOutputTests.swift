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

    @Test func extraAndMissingColumns() throws {
        let lines = try Fixtures.text("show-stat.csv").split(separator: "\n").map(String.init)
        var damaged = [lines[0]]
        for (index, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            switch index % 3 {
            case 0: damaged.append(fields.prefix(5).joined(separator: ","))  // missing columns
            case 1: damaged.append(line + "x,y,z,1,2,3")  // extra columns
            default: damaged.append(line)
            }
        }
        let table = try StatTable(parsing: damaged.joined(separator: "\n"))
        let snapshot = SnapshotBuilder.build(info: Self.info, stat: table)
        #expect(!snapshot.backends.isEmpty)
        let short = snapshot.allServers.first { $0.fields?["status"] == nil }
        #expect(short == nil || short?.status.kind == .other)
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

    @Test func numbersThatOverflowAreNil() throws {
        let table = try StatTable(parsing: "# pxname,svname,scur,\nbe,s,99999999999999999999999,\n")
        #expect(table.int(row: 0, "scur") == nil)
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
