/// Everything a key can do in the console. The raw values are the names used in keymap files.
public enum Action: String, Hashable, Sendable, CaseIterable {
    case moveUp = "move-up"
    case moveDown = "move-down"
    case pageUp = "page-up"
    case pageDown = "page-down"
    case top
    case bottom
    case collapse
    case expand
    case toggleGroup = "toggle-group"
    case collapseAll = "collapse-all"
    case expandAll = "expand-all"
    case filter
    case cancel
    case sortNext = "sort-next"
    case sortReverse = "sort-reverse"
    case help
    case detail
    case frontends
    case pause
    case faster
    case slower
    case refresh
    case quit

    /// What the action does, for the help screen when a keymap gives no text.
    public var defaultHelp: String {
        switch self {
        case .moveUp: "Move up"
        case .moveDown: "Move down"
        case .pageUp: "Page up"
        case .pageDown: "Page down"
        case .top: "Go to the first row"
        case .bottom: "Go to the last row"
        case .collapse: "Collapse the backend"
        case .expand: "Expand the backend"
        case .toggleGroup: "Collapse or expand the backend"
        case .collapseAll: "Collapse every backend"
        case .expandAll: "Expand every backend"
        case .filter: "Filter: text, state:down, be:NAME, addr:10.0."
        case .cancel: "Close the pane, or clear the filter"
        case .sortNext: "Sort servers by the next column"
        case .sortReverse: "Reverse the sort order"
        case .help: "Show or hide this help"
        case .detail: "Every field of the selected server or backend"
        case .frontends: "Switch between servers and frontends"
        case .pause: "Pause or resume refreshing"
        case .faster: "Refresh more often"
        case .slower: "Refresh less often"
        case .refresh: "Refresh now"
        case .quit: "Quit"
        }
    }
}
