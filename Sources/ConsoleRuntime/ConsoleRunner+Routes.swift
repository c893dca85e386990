import ConsoleApp
import Dispatch
import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

extension ConsoleRunner {
    /// The routes view's effects: read a balancer's maps, read its route records (file I/O in order on the file
    /// queue), and send a route plan (compare-and-set, audited, read back) then keep or remove its record.
    func runRoutes(_ effect: ConsoleEffect, _ model: ConsoleModel, sink: AsyncStream<RuntimeEvent>.Continuation) {
        switch effect {
        case .readRoutes(let id):
            guard let driver = connections[id]?.driver else { return }
            Task.detached {
                let result = await Result.capturing { try await RouteExecutor.readMaps(driver) }
                sink.yield(.message(.routesRead(result, from: id)))
            }
        case .loadRouteRecords(let id):
            let audit = (connections[id] ?? primary(model)).executor?.audit
            let socket = model.index(of: id).flatMap { model.balancers[$0].snapshot?.info.socket } ?? ""
            fileQueue.async {
                let result = Result.capturing { () -> [RouteStore.Record] in
                    guard let audit else { return [] }
                    return try RouteStore(besides: audit).all().filter { $0.socket == socket }
                }
                sink.yield(.message(.routeRecordsLoaded(result, from: id)))
            }
        case .performRoutes(let plan, let keep, let id):
            guard let connection = connections[id], let audit = connection.executor?.audit,
                let info = model.index(of: id).flatMap({ model.balancers[$0].snapshot?.info })
            else {
                sink.yield(.message(.effectFailed("route changes need a connection and the audit log")))
                return
            }
            let driver = connection.driver
            let queue = fileQueue
            Task.detached {
                let result = await Result.capturing {
                    try await RouteExecutor(driver: driver, audit: audit, via: "console").execute(plan, balancer: info)
                }
                if case .success(let outcome) = result, outcome.verified {
                    queue.async {
                        let store = RouteStore(besides: audit)
                        do {
                            switch keep {
                            case .record(let from):
                                try store.save(
                                    .init(
                                        id: outcome.id, time: AuditRecord.timestamp(Date()), socket: info.socket,
                                        label: plan.label, failoverFrom: from, changes: plan.changes))
                            case .restored(let recordID): try store.remove(id: recordID)
                            }
                        } catch {
                            sink.yield(.message(.effectFailed("\(error)")))
                        }
                        sink.yield(.message(.routesPerformed(result, from: id)))
                    }
                } else {
                    sink.yield(.message(.routesPerformed(result, from: id)))
                }
            }
        default: return
        }
    }
}
