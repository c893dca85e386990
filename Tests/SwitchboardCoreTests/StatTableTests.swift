import SwitchboardCore
import SwitchboardTestSupport
import Testing

@Suite("show stat CSV")
struct StatTableTests {
    @Test func readsColumnsByHeaderName() throws {
        let table = try StatTable(parsing: try Fixtures.text("show-stat.csv"))
        #expect(table.columns.count >= 100)
        #expect(table.columns.first == "pxname")
        #expect(table.skippedLines == 0)
        let app3 = try #require((0..<table.rowCount).first { table.string(row: $0, "svname") == "app3" })
        #expect(table.string(row: app3, "status") == "DOWN")
        #expect(table.string(row: app3, "check_status") == "L4CON")
        #expect(table.int(row: app3, "weight") == 100)
        #expect(table.int(row: app3, "nosuchcolumn") == nil)
    }

    @Test func columnOrderDoesNotMatter() throws {
        let text = "# svname,status,pxname,scur,\nweb1,UP,be_x,7,\n"
        let table = try StatTable(parsing: text)
        #expect(table.string(row: 0, "pxname") == "be_x")
        #expect(table.int(row: 0, "scur") == 7)
    }

    @Test func emptyFieldsAreNilAsNumbersAndEmptyAsText() throws {
        let table = try StatTable(parsing: "# pxname,svname,slim,status,\nbe,s1,,UP,\n")
        #expect(table.int(row: 0, "slim") == nil)
        #expect(table.string(row: 0, "slim") == "")
    }

    @Test func missingHeaderIsAClearError() {
        #expect {
            try StatTable(parsing: "be_app,web1,0,0\n")
        } throws: { error in
            (error as? SwitchboardError)?.code == .malformedOutput
        }
    }

    @Test func recordListsEveryField() throws {
        let table = try StatTable(parsing: try Fixtures.text("show-stat.csv"))
        let fields = table.record(row: 1).allFields
        #expect(fields.count == table.columns.count)
        #expect(fields[0].name == "pxname")
    }
}
