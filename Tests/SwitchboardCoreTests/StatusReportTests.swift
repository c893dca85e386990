import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@Suite("status output")
struct StatusReportTests {
    @Test func jsonHasTheDocumentedShape() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        let data = try JSONEncoder().encode(StatusDocument(snapshot: snapshot))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let balancer = try #require(object["balancer"] as? [String: Any])
        #expect(balancer["level"] as? String == "admin")
        let backends = try #require(object["backends"] as? [[String: Any]])
        let app = try #require(backends.first { $0["name"] as? String == "be_app" })
        let servers = try #require(app["servers"] as? [[String: Any]])
        let app2 = try #require(servers.first { $0["name"] as? String == "app2" })
        #expect(app2["status"] as? String == "DRAIN")
        #expect(app2["admin"] as? String == "drain")
        #expect(app2["health"] as? String == "up")
        #expect(app2["weight"] as? Int == 50)
        #expect(app2["initialWeight"] as? Int == 50)
        #expect(app2["backup"] as? Bool == false)
        #expect(app2["sessions"] is Int)
        #expect(app2["rate"] is Int)
        #expect((app2["address"] as? String)?.hasPrefix("127.0.0.1:") == true)
        let bk = try #require(servers.first { $0["name"] as? String == "app-bk" })
        #expect(bk["backup"] as? Bool == true)
    }

    @Test func tableListsEveryServer() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        let text = StatusTable.render(snapshot)
        for server in snapshot.allServers { #expect(text.contains(server.name)) }
        #expect(text.contains("MAINT (via be_app/app4)"))
        #expect(text.contains("ADMIN"))
        let one = StatusTable.render(snapshot, backend: "be_static")
        #expect(!one.contains("app3"))
        #expect(one.contains("s2"))
    }

    @Test func durations() {
        #expect(StatusTable.formatDuration(12) == "12s")
        #expect(StatusTable.formatDuration(245) == "4m05s")
        #expect(StatusTable.formatDuration(3720) == "1h02m")
        #expect(StatusTable.formatDuration(3 * 86_400 + 4 * 3600) == "3d04h")
    }
}
