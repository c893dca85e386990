#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The CSV of `show stat`, indexed by header name, never by position.
///
/// Parsing is a single pass over the bytes that records where each field starts; fields become
/// strings or integers only when asked for. The table is immutable and shared by every
/// ``StatRecord`` cut from it, so keeping every raw field for the detail pane costs no copies.
///
/// ```swift
/// let table = try StatTable(parsing: reply)
/// let status = table.string(row: 3, "status")
/// ```
public final class StatTable: Sendable {
    /// Column names from the `# pxname,svname,…` header, in order.
    public let columns: [String]
    /// Column name → position.
    public let columnIndex: [String: Int]
    /// Data lines that could not be read as rows (too few fields), for diagnostics.
    public let skippedLines: Int
    private let bytes: [UInt8]
    /// Field boundaries of every row, flat: field k of a row spans `bounds[b+k] ..< bounds[b+k+1] - 1`.
    private let bounds: [Int32]
    /// Where each row's boundaries start in `bounds`; `rowCount + 1` entries.
    private let rowOffsets: [Int]

    /// The number of data rows.
    public var rowCount: Int { rowOffsets.count - 1 }

    /// Parses `show stat` output. Throws ``SwitchboardError/Code/malformedOutput`` when there is no header
    /// naming at least `pxname` and `svname`; bad data lines are skipped and counted, never fatal.
    public convenience init(parsing text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    /// Parses `show stat` output given as UTF-8 bytes.
    public init(bytes: [UInt8]) throws {
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#")
        let carriageReturn = UInt8(ascii: "\r")
        var columns: [String] = []
        var bounds: [Int32] = []
        var rowOffsets: [Int] = [0]
        var skipped = 0
        bounds.reserveCapacity(bytes.count / 2 + 1024)  // HAProxy CSV averages about 2 bytes per field
        rowOffsets.reserveCapacity(bytes.count / 200)
        var lineStart = 0
        let count = bytes.count
        try bytes.withUnsafeBufferPointer { buffer in
            while lineStart < count {
                var lineEnd = lineStart
                while lineEnd < count && buffer[lineEnd] != newline { lineEnd += 1 }
                var contentEnd = lineEnd
                if contentEnd > lineStart && buffer[contentEnd - 1] == carriageReturn { contentEnd -= 1 }
                defer { lineStart = lineEnd + 1 }
                if contentEnd == lineStart { continue }
                if buffer[lineStart] == hash {
                    if columns.isEmpty {
                        var start = lineStart + 1
                        while start < contentEnd && buffer[start] == UInt8(ascii: " ") { start += 1 }
                        let header = String(decoding: buffer[start..<contentEnd], as: UTF8.self)
                        var names = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                        if names.last == "" { names.removeLast() }
                        columns = names
                    }
                    continue
                }
                if columns.isEmpty { continue }  // banner or stray text before the header
                let first = bounds.count
                bounds.append(Int32(lineStart))
                var position = lineStart
                while position < contentEnd {
                    if buffer[position] == comma { bounds.append(Int32(position + 1)) }
                    position += 1
                }
                bounds.append(Int32(contentEnd + 1))
                if bounds.count - first - 1 < 2 {  // not even pxname,svname
                    bounds.removeSubrange(first...)
                    skipped += 1
                    continue
                }
                rowOffsets.append(bounds.count)
            }
            guard columns.contains("pxname"), columns.contains("svname") else {
                throw SwitchboardError(
                    .malformedOutput,
                    "show stat output has no '# pxname,svname,…' header — is this HAProxy's stats CSV?")
            }
        }
        self.columns = columns
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() where index[name] == nil { index[name] = position }
        self.columnIndex = index
        self.bytes = bytes
        self.bounds = bounds
        self.rowOffsets = rowOffsets
        self.skippedLines = skipped
    }

    /// The position of a named column, or nil when this HAProxy build does not have it.
    public func column(_ name: String) -> Int? { columnIndex[name] }

    /// The number of fields present in a row (may differ from `columns.count` in damaged output).
    public func fieldCount(row: Int) -> Int { rowOffsets[row + 1] - rowOffsets[row] - 1 }

    @inline(__always)
    private func range(row: Int, column: Int) -> Range<Int>? {
        let base = rowOffsets[row]
        guard column >= 0, column < rowOffsets[row + 1] - base - 1 else { return nil }
        return Int(bounds[base + column])..<(Int(bounds[base + column + 1]) - 1)
    }

    /// The field at a column position as a string; nil when the row is too short.
    public func string(row: Int, column: Int) -> String? {
        guard let range = range(row: row, column: column) else { return nil }
        return bytes.withUnsafeBufferPointer { String(decoding: $0[range], as: UTF8.self) }
    }

    /// The named field as a string; nil when the column or the field is missing.
    public func string(row: Int, _ name: String) -> String? {
        guard let column = columnIndex[name] else { return nil }
        return string(row: row, column: column)
    }

    /// The named field as an integer; nil when missing, empty or not a number.
    public func int(row: Int, _ name: String) -> Int? {
        int(row: row, column: columnIndex[name])
    }

    /// The field at a column position (resolved once with ``column(_:)``) as a string.
    public func string(row: Int, column: Int?) -> String? {
        guard let column else { return nil }
        return string(row: row, column: column)
    }

    /// The field at a column position (resolved once with ``column(_:)``) as an integer.
    public func int(row: Int, column: Int?) -> Int? {
        guard let column, let range = range(row: row, column: column) else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            var position = range.lowerBound
            guard position < range.upperBound else { return nil }
            var negative = false
            if buffer[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
                guard position < range.upperBound else { return nil }
            }
            var value = 0
            while position < range.upperBound {
                let digit = Int(buffer[position]) &- 48
                guard digit >= 0 && digit <= 9 else { return nil }
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(digit)
                guard !overflow1 && !overflow2 else { return nil }
                value = sum
                position += 1
            }
            return negative ? -value : value
        }
    }

    /// True when two rows hold the same bytes at a column (lets callers reuse a string they already made).
    public func sameField(row: Int, as otherRow: Int, column: Int?) -> Bool {
        guard let column, let a = range(row: row, column: column), let b = range(row: otherRow, column: column),
            a.count == b.count
        else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            memcmp(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, a.count) == 0
        }
    }

    /// A record for one row, sharing this table's storage.
    public func record(row: Int) -> StatRecord { StatRecord(table: self, row: row) }
}

/// One raw row of a ``StatTable``: every field HAProxy reported, by name, for detail views.
public struct StatRecord: Sendable, Hashable {
    /// The table the row belongs to.
    public let table: StatTable
    /// The row's position in the table.
    public let row: Int

    /// The named field, or nil.
    public subscript(name: String) -> String? { table.string(row: row, name) }

    /// Every column with its value, in header order (empty values included).
    public var allFields: [(name: String, value: String)] {
        table.columns.enumerated().map { position, name in
            (name, table.string(row: row, column: position) ?? "")
        }
    }

    /// Two records are equal when they are the same row of the same table.
    public static func == (lhs: StatRecord, rhs: StatRecord) -> Bool {
        lhs.table === rhs.table && lhs.row == rhs.row
    }

    /// Hashes the table identity and the row.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(table))
        hasher.combine(row)
    }
}
