import PropertyBased
import SwitchboardCore
import Testing

/// Failover and redistribution planning: examples on the recorded snapshot, and properties on
/// generated backends.
@Suite("Failover and redistribution planners")
struct FailoverAndRedistributionTests {
    static func snapshot() throws -> BalancerSnapshot { try SnapshotBuilderTests.snapshot() }

    @Test func failoverToBackups() throws {
        let plan = try FailoverPlanner.failover(backend: "be_app", mode: .maint, on: try Self.snapshot())
        // app4 is already MAINT; everything else active goes out.
        #expect(
            plan.intent.targets.map(\.description) == [
                "be_app/app1", "be_app/app2", "be_app/app3", "be_app/app5", "be_app/app6",
            ])
        #expect(plan.label == "failover be_app to backups")
        #expect(plan.impacts.first?.after.activeServing == 0)
        #expect(plan.impacts.first?.after.backupServing == 1)
        #expect(plan.warnings.contains { $0.contains("1 backup(s) take all traffic") })
        #expect(plan.warnings.contains { $0.contains("agent") })
    }

    @Test func failoverListsWhoTakesOverAndMergesBackends() throws {
        let snapshot = try Self.snapshot()
        let plan = try FailoverPlanner.failover(backend: "be_app", on: snapshot)
        #expect(plan.notes == ["takes over: be_app/app-bk UP, weight 100, 0 session(s)"])
        let two = try FailoverPlanner.failover(
            backends: ["be_app", "be_static"], keep: [], on: snapshot, orKeep: ["be_static": ["s2"]])
        #expect(two.label == "failover be_app, be_static")
        #expect(Set(two.impacts.map(\.backend)) == ["be_app", "be_static"])
        #expect(two.intent.targets.count == plan.intent.targets.count + 1)
        let undo = try ActionPlanner.undo(two.before, on: snapshot)
        #expect(undo.steps.isEmpty)  // nothing changed yet: one undo covers both backends' servers
    }

    @Test func failoverWithoutBackupsNeedsAKeepList() throws {
        #expect {
            try FailoverPlanner.failover(backend: "be_static", on: try Self.snapshot())
        } throws: { ($0 as? SwitchboardError)?.message.contains("--keep") == true }
        let plan = try FailoverPlanner.failover(
            backend: "be_static", mode: .drain, keep: ["s2"], on: try Self.snapshot())
        #expect(plan.intent.targets.map(\.description) == ["be_static/s1"])
        #expect(plan.steps == [.setAdmin(try ServerRef(parsing: "be_static/s1"), .drain)])
        #expect {
            try FailoverPlanner.failover(backend: "be_static", keep: ["nope"], on: try Self.snapshot())
        } throws: {
            ($0 as? SwitchboardError)?.code == .noSuchServer
        }
    }

    @Test func failbackRestoresRecordedStatesExactly() throws {
        let snapshot = try Self.snapshot()
        let failover = try FailoverPlanner.failover(backend: "be_app", mode: .maint, on: snapshot)
        var after = snapshot
        let index = try #require(after.backends.firstIndex { $0.name == "be_app" })
        for position in after.backends[index].servers.indices where !after.backends[index].servers[position].isBackup {
            after.backends[index].servers[position].admin = AdminState(mode: .maint)
        }
        let plans = try FailoverPlanner.failback(
            recorded: failover.before, backend: "be_app", gradual: false, on: after)
        #expect(plans.count == 1)
        let expectations = Set(plans[0].expectations.map(\.description))
        #expect(expectations.contains("be_app/app2 admin drain"))  // was DRAIN before: stays DRAIN
        #expect(expectations.contains("be_app/app1 admin ready"))
        #expect(!expectations.contains { $0.hasPrefix("be_app/app4") })  // was MAINT already: not in the failover
        let gradual = try FailoverPlanner.failback(
            recorded: failover.before, backend: "be_app", gradual: true, on: after)
        #expect(gradual.count == 5)
        #expect { try FailoverPlanner.failback(recorded: [], backend: "be_app", gradual: false, on: after) } throws: {
            _ in true
        }
    }

    @Test func redistributeEvenMoveAndRefusals() throws {
        let snapshot = try Self.snapshot()
        #expect { try RedistributionPlanner.plan(.byCapacity, backend: "be_static", on: snapshot) } throws: {
            ($0 as? SwitchboardError)?.message.contains("static-rr") == true
        }
        #expect { try RedistributionPlanner.plan(.even(["app3"]), backend: "be_app", on: snapshot) } throws: {
            ($0 as? SwitchboardError)?.message.contains("cannot take traffic") == true
        }
        let even = try RedistributionPlanner.plan(.even(["app5"]), backend: "be_app", on: snapshot)
        #expect(even.rows.first { $0.server == "app5" }?.shareAfter == 1)
        #expect(even.rows.filter { $0.server != "app5" }.allSatisfy { $0.weightAfter == 0 })
        #expect(even.actions.expectations.contains(.weight(ServerID(backend: "be_app", name: "app5"), 100)))
        #expect(even.actions.label == "redistribute be_app")
        #expect {
            try RedistributionPlanner.plan(
                .move(percent: 50, from: ["app5"], to: ["app5"]), backend: "be_app", on: snapshot)
        } throws: {
            ($0 as? SwitchboardError)?.message.contains("no server in both") == true
        }
    }

    // MARK: Properties on generated backends

    /// A backend of 2–8 healthy active servers with weights 1–256 and some sessions.
    static func backend(_ weights: [Int], sessions: [Int]) -> BalancerSnapshot {
        let servers = weights.enumerated().map { index, weight in
            Server(
                name: "s\(index + 1)", backend: "be_gen", status: ServerStatus("UP"), admin: AdminState(mode: .ready),
                health: .up, weight: weight, initialWeight: weight, sessions: sessions[index % sessions.count],
                sessionLimit: 100)
        }
        return BalancerSnapshot(
            info: BalancerInfo(version: "2.6", pid: 1, uptimeSeconds: 1),
            backends: [
                Backend(
                    name: "be_gen", status: "UP", algorithm: "roundrobin", activeUp: servers.count, servers: servers)
            ])
    }

    static let weights = Gen.int(in: 1...256).array(of: 2...8)
    static let sessions = Gen.int(in: 0...100).array(of: 1...8)

    func check(_ plan: RedistributionPlanner.Plan) {
        #expect(plan.rows.allSatisfy { (0...256).contains($0.weightAfter) })
        let total = plan.rows.reduce(0) { $0 + $1.shareAfter }
        #expect(abs(total - 1) < 1e-9, "shares sum to \(total)")
    }

    @Test func evenSplitProperties() async {
        await propertyCheck(input: Self.weights, Gen.int(in: 1...8)) { weights, chosenCount in
            let snapshot = Self.backend(weights, sessions: [0])
            let chosen = (1...min(chosenCount, weights.count)).map { "s\($0)" }
            guard let plan = try? RedistributionPlanner.plan(.even(chosen), backend: "be_gen", on: snapshot) else {
                return
            }
            check(plan)
            // excluded get nothing
            for row in plan.rows where !chosen.contains(row.server) { #expect(row.shareAfter == 0) }
            let shares = plan.rows.filter { chosen.contains($0.server) }.map(\.shareAfter)
            #expect(shares.allSatisfy { abs($0 - 1 / Double(chosen.count)) < 1e-9 })
        }
    }

    @Test func moveProperties() async {
        await propertyCheck(input: Self.weights, Gen.int(in: 1...100)) { weights, percent in
            let snapshot = Self.backend(weights, sessions: [0])
            let from = ["s1"], to = ["s2"]
            let before = RedistributionPlanner.projectedShares(
                snapshot.backends[0],
                weights: Dictionary(uniqueKeysWithValues: weights.enumerated().map { ("s\($0 + 1)", $1) }))
            guard Double(percent) / 100 <= (before["s1"] ?? 0) else {
                #expect(throws: SwitchboardError.self) {
                    try RedistributionPlanner.plan(
                        .move(percent: percent, from: from, to: to), backend: "be_gen", on: snapshot)
                }
                return
            }
            guard
                let plan = try? RedistributionPlanner.plan(
                    .move(percent: percent, from: from, to: to), backend: "be_gen", on: snapshot)
            else { return }
            check(plan)
            let moved = (plan.rows[0].shareBefore - plan.rows[0].shareAfter) * 100
            // Weights are integers up to 256: each share can be off by about half a weight unit.
            let tolerance =
                100 * Double(weights.count) * 0.5 / Double(max(1, plan.rows.reduce(0) { $0 + $1.weightAfter }))
            #expect(abs(moved - Double(percent)) <= tolerance + 1e-9, "moved \(moved)% for \(percent)%")
            #expect(plan.rows[1].shareAfter >= plan.rows[1].shareBefore - 1e-9)
        }
    }

    @Test func capacityAndShedProperties() async {
        await propertyCheck(input: Self.weights, Self.sessions) { weights, sessions in
            let snapshot = Self.backend(weights, sessions: sessions)
            if let plan = try? RedistributionPlanner.plan(.byCapacity, backend: "be_gen", on: snapshot) {
                check(plan)
                let distinct = Set(plan.rows.map(\.weightAfter))
                #expect(distinct.count == 1)  // equal maxconn: equal weights
            }
            if let plan = try? RedistributionPlanner.plan(.shed(targetLoad: 0.5), backend: "be_gen", on: snapshot) {
                check(plan)
                for row in plan.rows {
                    let load = Double(sessions[(Int(row.server.dropFirst())! - 1) % sessions.count]) / 100
                    if load > 0.5 {
                        #expect(row.weightAfter <= row.weightBefore)
                    } else {
                        #expect(row.weightAfter == row.weightBefore)
                    }
                }
            }
        }
    }
}

/// A failover to backups while requests wait in the backend's queue hands the queue over: every idle backup goes
/// MAINT → READY at once (HAProxy gives a server coming back the queued requests; backups already UP take none).
@Suite("Failover hands a backend's queue to the backups")
struct FailoverQueueHandOverTests {
    static func queued(_ queue: Int) throws -> BalancerSnapshot {
        var snapshot = try SnapshotBuilderTests.snapshot()
        let index = try #require(snapshot.backends.firstIndex { $0.name == "be_app" })
        snapshot.backends[index].queue = queue
        return snapshot
    }

    @Test func withAQueueEachIdleBackupPassesThroughMaintBackToReady() throws {
        let plan = try FailoverPlanner.failover(backend: "be_app", on: try Self.queued(40))
        let lines = plan.steps.map { RuntimeCommand(for: $0).line }
        #expect(
            Array(lines.suffix(2)) == ["set server be_app/app-bk state maint", "set server be_app/app-bk state ready"])
        #expect(plan.notes.contains { $0.hasPrefix("hands over the queue: 40 request(s) wait on be_app; app-bk") })
        // The backup is not a target: its state is the same before and after, and fail back leaves it alone.
        #expect(!plan.intent.targets.map(\.description).contains("be_app/app-bk"))
        #expect(!plan.expectations.contains { $0.description.hasPrefix("be_app/app-bk") })
    }

    @Test func withoutAQueueOrWhenKeepingActivesNothingIsAdded() throws {
        let plain = try FailoverPlanner.failover(backend: "be_app", on: try Self.queued(0))
        #expect(!plain.steps.contains { $0.target.description == "be_app/app-bk" })
        let kept = try FailoverPlanner.failover(backend: "be_app", keep: ["app1"], on: try Self.queued(40))
        #expect(!kept.steps.contains { $0.target.description == "be_app/app-bk" })
        #expect(!kept.notes.contains { $0.hasPrefix("hands over the queue") })
    }
}
