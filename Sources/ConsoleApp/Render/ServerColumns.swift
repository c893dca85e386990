import TerminalUI

/// The columns of the servers view, with the width each needs and the order they are dropped in when
/// the terminal is narrow (higher priority number = dropped first).
enum ServerColumn: CaseIterable {
    case name, address, state, check, weight, share, load, sessions, rate, queue, errors, responseTime, trend

    var title: String {
        switch self {
        case .name: "NAME"
        case .address: "ADDRESS"
        case .state: "STATE"
        case .check: "CHECK"
        case .weight: "WEIGHT"
        case .share: "SHARE"
        case .load: "LOAD"
        case .sessions: "SESS"
        case .rate: "RATE"
        case .queue: "QUEUE"
        case .errors: "5XX/S"
        case .responseTime: "RTIME"
        case .trend: "RATE TREND"
        }
    }

    var width: Int {
        switch self {
        case .name: 18
        case .address: 21
        case .state: 13
        case .check: 10
        case .weight: 7
        case .share: 5
        case .load: 12
        case .sessions: 5
        case .rate: 5
        case .queue: 5
        case .errors: 5
        case .responseTime: 6
        case .trend: 12
        }
    }

    var priority: Int {
        switch self {
        case .name, .state: 0
        case .load: 1
        case .sessions: 2
        case .rate: 3
        case .weight: 4
        case .check: 5
        case .share: 6
        case .address: 7
        case .queue: 8
        case .errors: 9
        case .trend: 10
        case .responseTime: 11
        }
    }

    var rightAligned: Bool { [.weight, .share, .sessions, .rate, .queue, .errors, .responseTime].contains(self) }

    /// A placed column.
    struct Placed {
        let column: ServerColumn
        let x: Int
        let width: Int
    }

    /// The columns that fit in `width`, left to right; the name takes what is left.
    static func fit(width: Int, reduced: Bool) -> [Placed] {
        let candidates = allCases.filter { !reduced || $0.priority <= 4 }
        let nameMinimum = reduced ? 12 : ServerColumn.name.width
        var chosen: [ServerColumn] = []
        for column in candidates.sorted(by: { $0.priority < $1.priority }) {
            let trial = chosen + [column]
            let needed = trial.reduce(0) { $0 + ($1 == .name ? nameMinimum : $1.width) } + trial.count - 1
            if needed <= width { chosen = trial }
        }
        let ordered = allCases.filter(chosen.contains)
        let fixed = ordered.filter { $0 != .name }.reduce(0) { $0 + $1.width } + ordered.count - 1
        var x = 0
        var placed: [Placed] = []
        for column in ordered {
            let columnWidth = column == .name ? max(nameMinimum, min(40, width - fixed)) : column.width
            placed.append(Placed(column: column, x: x, width: columnWidth))
            x += columnWidth + 1
        }
        return placed
    }
}
