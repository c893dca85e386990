import SwitchboardCore

/// One pass over a backend's servers: what the share, capacity, check and load columns need. A screen of rows
/// costs one pass per backend on screen instead of one (or two, copying every server) per row — at 1,000 servers a
/// backend that is the difference between ~45,000 server copies per draw and none.
struct PoolSums: Equatable {
    /// Active (non-backup) servers, and backups.
    var actives = 0
    var backups = 0
    /// Serving actives, and the sum of their weights.
    var servingActives = 0
    var servingActiveWeight = 0
    /// Sum of the serving backups' weights.
    var servingBackupWeight = 0
    /// Sum of the actives' configured weights (the initial weight, or the current one when unknown).
    var configuredActiveWeight = 0
    /// The most sessions any server of the backend holds (the load bars' scale).
    var busiestSessions = 0

    init(_ backend: Backend) {
        for server in backend.servers {
            busiestSessions = max(busiestSessions, server.sessions)
            if server.isBackup {
                backups += 1
                if server.isServing { servingBackupWeight += server.weight }
            } else {
                actives += 1
                configuredActiveWeight += server.initialWeight ?? server.weight
                if server.isServing {
                    servingActives += 1
                    servingActiveWeight += server.weight
                }
            }
        }
    }

    /// The server's share of the backend's new traffic: its weight over the pool in use — the serving actives, or
    /// the serving backups when no active serves.
    func fraction(of server: Server) -> Double {
        guard server.isServing else { return 0 }
        let backupsInUse = servingActives == 0
        guard server.isBackup == backupsInUse else { return 0 }
        let total = backupsInUse ? servingBackupWeight : servingActiveWeight
        return total > 0 ? Double(server.weight) / Double(total) : 0
    }

    /// The share as the list shows it: `25%`.
    func shareText(of server: Server) -> String { "\(Int((fraction(of: server) * 100).rounded()))%" }

    /// Weight of the serving actives ÷ their configured weight, at most 1.
    var capacity: Double {
        guard configuredActiveWeight > 0 else { return 0 }
        return min(1, Double(servingActiveWeight) / Double(configuredActiveWeight))
    }
}
