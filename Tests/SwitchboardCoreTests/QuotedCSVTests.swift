import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// HAProxy's CSV quoting (`csv_enc`): fields holding `,`, `"` or line breaks are quoted, quotes doubled.
@Suite("Quoted CSV")
struct QuotedCSVTests {
    static let info = BalancerInfo(version: "2.6", pid: 1, uptimeSeconds: 1)

    @Test func quotedFieldsKeepEveryColumnInPlace() throws {
        let text = """
            # pxname,svname,scur,status,desc,weight,
            be_web,BACKEND,4,UP,"primary, eu-west",200,
            be_web,web1,1,UP,"say ""hi"", then go",100,
            be_web,web2,3,DOWN,"two
            lines",50,
            be_web,web3,0,UP,plain,10,

            """
        let table = try StatTable(parsing: text)
        #expect(table.skippedLines == 0)
        #expect(table.rowCount == 4)
        #expect(table.string(row: 0, "desc") == "primary, eu-west")
        #expect(table.int(row: 0, "weight") == 200)
        #expect(table.string(row: 1, "desc") == "say \"hi\", then go")
        #expect(table.string(row: 1, "status") == "UP")
        #expect(table.int(row: 1, "weight") == 100)
        #expect(table.string(row: 2, "desc") == "two\nlines")
        #expect(table.int(row: 2, "weight") == 50)
        #expect(table.string(row: 3, "svname") == "web3")
        let snapshot = SnapshotBuilder.build(info: Self.info, stat: table)
        #expect(snapshot.backends.map(\.name) == ["be_web"])
        #expect(snapshot.backends[0].servers.map(\.weight) == [100, 50, 10])
        #expect(snapshot.backends[0].servers.map(\.status.text) == ["UP", "DOWN", "UP"])
    }

    @Test func unterminatedQuoteDropsTheRecord() throws {
        let text = "# pxname,svname,desc,\nbe,a,x,\nbe,b,y,\nbe,c,\"never closed,\n"
        let table = try StatTable(parsing: text)
        #expect(table.rowCount == 2)
        #expect(table.skippedLines == 1)
    }

    @Test func textAfterAClosingQuoteDropsTheRecord() throws {
        let text = "# pxname,svname,desc,\nbe,a,\"x\"y,\nbe,b,z,\nbe,c,w,\n"
        let table = try StatTable(parsing: text)
        #expect(table.rowCount == 2)
        #expect(table.string(row: 0, "svname") == "b")
    }

    @Test func carriageReturnLineEndsAreAccepted() throws {
        let table = try StatTable(parsing: "# pxname,svname,scur,\r\nbe,a,1,\r\nbe,b,2,\r\n")
        #expect(table.rowCount == 2)
        #expect(table.int(row: 1, "scur") == 2)
    }
}
