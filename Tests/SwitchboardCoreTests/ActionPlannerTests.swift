import SwitchboardCore
import Testing

/// Planning actions on the recorded snapshot: commands, impact, warnings and refusals.
@Suite("Action planner")
struct ActionPlannerTests {
    func plan(_ operation: ActionIntent.Operation, _ targets: String..., agent: Bool = false, checks: Bool = false)
        throws -> ActionPlan
    {
        let refs = try targets.map(ServerRef.init(parsing:))
        return try ActionPlanner.plan(
            ActionIntent(targets: refs, operation: operation, disableAgentFirst: agent, disableChecksFirst: checks),
            on: try SnapshotBuilderTests.snapshot())
    }

    @Test func drainReducesCapacityAndExpectsDrain() throws {
        let plan = try plan(.setAdmin(.drain), "be_static/s1")
        #expect(plan.steps == [.setAdmin(try ServerRef(parsing: "be_static/s1"), .drain)])
        #expect(plan.expectations == [.admin(ServerID(backend: "be_static", name: "s1"), .drain)])
        #expect(plan.reducesCapacity)
        #expect(!plan.leavesBackendWithoutActiveServers)
        #expect(plan.impacts.first?.summary == "be_static: 2/2 active serving (weight 40) → 1/2 (weight 30)")
    }

    @Test func lastServingActiveNeedsTheSecondConfirmation() throws {
        let plan = try plan(.setAdmin(.maint), "be_track/t2")
        #expect(plan.leavesBackendWithoutActiveServers)
        #expect(plan.warnings.first?.contains("be_track would have NO server serving") == true)
        let backups = try self.plan(.setAdmin(.maint), "be_app/app5")
        #expect(backups.leavesBackendWithoutActiveServers)
        #expect(backups.warnings.first?.contains("1 backup(s) take all traffic") == true)
    }

    @Test func agentWarningAndDisablingItFirst() throws {
        let warned = try plan(.setAdmin(.maint), "be_app/app1")
        #expect(warned.warnings.contains { $0.contains("agent reply of `ready` cancels MAINT") })
        let safe = try plan(.setAdmin(.maint), "be_app/app1", agent: true)
        #expect(safe.steps.first == .agentChecks(try ServerRef(parsing: "be_app/app1"), enabled: false))
        #expect(!safe.warnings.contains { $0.contains("agent reply") })
    }

    @Test func forcedHealthWarnsUnlessChecksAreDisabled() throws {
        let warned = try plan(.forceHealth(up: false), "be_static/s2")
        #expect(warned.warnings.contains { $0.contains("next check overwrites") })
        let sticky = try plan(.forceHealth(up: false), "be_static/s2", checks: true)
        #expect(sticky.steps.map { "\($0)" }.count == 2)
        #expect(sticky.expectations.contains(.checks(ServerID(backend: "be_static", name: "s2"), false)))
        #expect(!sticky.warnings.contains { $0.contains("next check overwrites") })
    }

    @Test func staticAlgorithmWeightsAreRefusedBeforeSending() throws {
        #expect {
            try plan(.setWeight(absolute: 5, percent: nil), "be_static/s1")
        } throws: { ($0 as? SwitchboardError)?.message.contains("only 0% or 100%") == true }
        let zero = try plan(.setWeight(absolute: nil, percent: 0), "be_static/s1")
        #expect(zero.steps == [.setWeight(try ServerRef(parsing: "be_static/s1"), .percent(0))])
    }

    @Test func weightPercentResolvesAgainstTheInitialWeight() throws {
        let plan = try plan(.setWeight(absolute: nil, percent: 50), "be_app/app5")  // initial 100, now 20
        #expect(plan.expectations == [.weight(ServerID(backend: "be_app", name: "app5"), 50)])
        #expect(!plan.reducesCapacity)
    }

    @Test func unknownTargetsAndAgentlessServers() throws {
        #expect { try plan(.setAdmin(.drain), "be_nope/x") } throws: {
            ($0 as? SwitchboardError)?.code == .noSuchBackend
        }
        #expect { try plan(.setAdmin(.drain), "be_app/nope") } throws: {
            ($0 as? SwitchboardError)?.code == .noSuchServer
        }
        #expect { try plan(.forceAgent(up: false), "be_static/s1") } throws: {
            ($0 as? SwitchboardError)?.code == .unsupported
        }
    }

    @Test func undoRestoresTheRecordedStates() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        let before = [try #require(snapshot.server("be_app", "app2")), try #require(snapshot.server("be_app", "app5"))]
            .map(ActionPlan.ServerState.init)
        var changed = snapshot
        let index = try #require(changed.backends.firstIndex { $0.name == "be_app" })
        for position in changed.backends[index].servers.indices
        where ["app2", "app5"].contains(changed.backends[index].servers[position].name) {
            changed.backends[index].servers[position].admin = AdminState(mode: .maint)
            changed.backends[index].servers[position].weight = 7
        }
        let undo = try ActionPlanner.undo(before, on: changed)
        #expect(undo.label == "undo")
        #expect(undo.expectations.contains(.admin(ServerID(backend: "be_app", name: "app2"), .drain)))
        #expect(undo.expectations.contains(.weight(ServerID(backend: "be_app", name: "app2"), 50)))
        #expect(undo.expectations.contains(.admin(ServerID(backend: "be_app", name: "app5"), .ready)))
        #expect(undo.expectations.contains(.weight(ServerID(backend: "be_app", name: "app5"), 20)))
        #expect(try ActionPlanner.undo(before, on: snapshot).steps.isEmpty)  // nothing to do when unchanged
    }

    @Test func everywhereFindsTheServerInEveryBackend() throws {
        let snapshot = try SnapshotBuilderTests.snapshot()
        #expect(ActionIntent.everywhere("s1", in: snapshot).map(\.description) == ["be_static/s1"])
        let address = try #require(snapshot.server("be_track", "t2")?.address)
        #expect(ActionIntent.everywhere(address, in: snapshot).map(\.description) == ["be_track/t2"])
    }
}
