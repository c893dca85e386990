import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardOps
import Testing

/// Issue 11: the console's incident key — a title typed and the start marked, the open incident in the header,
/// its end confirmed.
@Suite("Incident key")
struct IncidentKeyTests {
    @Test func iAsksForATitleAndStartsTheIncidentOnEnter() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 30)
        ConsoleFixtures.press([.char("I")], &model)
        #expect(model.dialog == .incident(open: nil, title: ""))
        let screen = ConsoleRender.render(model).lines.joined(separator: "\n")
        #expect(screen.contains("Start an incident") && screen.contains("title: █"))
        ConsoleFixtures.press(ConsoleFixtures.keys("503s on checkout"), &model)
        ConsoleFixtures.press([.backspace], &model)
        let effects = ConsoleFixtures.press([.enter], &model)
        #expect(effects == [.markIncident(start: "503s on checkou")])
        #expect(model.dialog == nil)
    }

    @Test func theOpenIncidentIsInTheHeaderAndIEndsItOnlyWhenConfirmed() throws {
        var model = try ConsoleFixtures.model(width: 160, height: 30)
        let incident = Incident(
            id: "inc-20270115T075000Z", title: "503s on checkout",
            start: ConsoleFixtures.start.addingTimeInterval(-600),
            end: nil, startedBy: "oncall@bastion")
        _ = ConsoleUpdate.update(&model, .incidentChanged(.success(incident), note: "incident started"))
        let header = ConsoleRender.render(model).lines.prefix(2).joined(separator: "\n")
        #expect(header.contains("INCIDENT 10 min: 503s on checkout"), "\(header)")
        ConsoleFixtures.press([.char("I")], &model)
        let dialog = ConsoleRender.render(model).lines.joined(separator: "\n")
        #expect(dialog.contains("End the incident") && dialog.contains("open since 2027-01-15T07:50:00Z (10 min)"))
        #expect(ConsoleFixtures.press([.char("n")], &model).isEmpty, "any other key keeps it open")
        #expect(model.dialog == nil)
        ConsoleFixtures.press([.char("I")], &model)
        #expect(ConsoleFixtures.press([.char("y")], &model) == [.markIncident(start: nil)])
        _ = ConsoleUpdate.update(&model, .incidentChanged(.success(nil), note: "incident ended"))
        #expect(!ConsoleRender.render(model).lines.prefix(2).joined().contains("INCIDENT"))
    }
}
