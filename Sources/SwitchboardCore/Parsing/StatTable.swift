import Synchronization

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
    /// Data records dropped because they failed validation (wrong number of fields, a name outside
    /// HAProxy's alphabet, text where a number belongs, an unterminated quote), for diagnostics.
    public let skippedLines: Int
    private let bytes: [UInt8]
    /// Field boundaries of every row, flat: field k of a row spans `bounds[b+k] ..< bounds[b+k+1] - 1`.
    private let bounds: [Int32]
    /// Where each row's boundaries start in `bounds`; `rowCount + 1` entries.
    private let rowOffsets: [Int]
    /// The unquoted text of quoted fields (`"a,b"`, `"say ""hi"""`), by flat field index; usually empty.
    private let quoted: [Int: String]

    /// The number of data rows.
    public var rowCount: Int { rowOffsets.count - 1 }

    /// Lines from `start` to the end (the last one may lack its line break), counted with `memchr`.
    private static func lineCount(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = buffer.baseAddress, start < buffer.count else { return 0 }
        var lines = 0
        var position = start
        while position < buffer.count {
            lines += 1
            guard let hit = memchr(base + position, Int32(UInt8(ascii: "\n")), buffer.count - position) else { break }
            position = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
        }
        return lines
    }

    /// Columns that hold integers (or nothing) in every HAProxy version: a row with text there is damaged.
    static let numericColumns: [String] = [
        "qcur", "qmax", "scur", "smax", "slim", "stot", "bin", "bout", "weight", "act", "bck", "lastchg", "iid",
        "sid", "lbtot", "type", "rate", "hrsp_5xx", "rtime", "check_duration",
    ]

    /// Parses `show stat` output. Throws ``SwitchboardError/Code/malformedOutput`` when there is no header
    /// naming at least `pxname` and `svname`, or when most data records fail validation; a few bad
    /// records are dropped and counted (``skippedLines``), never fatal.
    public convenience init(parsing text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    /// Parses `show stat` output given as UTF-8 bytes.
    ///
    /// The CSV follows HAProxy's quoting (`csv_enc`): a field holding `,`, `"` or a line break is written
    /// between double quotes with inner quotes doubled, so no column ever shifts.
    public init(bytes: [UInt8]) throws {
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), hash = UInt8(ascii: "#")
        let carriageReturn = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
        var columns: [String] = []
        var columnIndex: [String: Int] = [:]
        var bounds: [Int32] = []
        var rowOffsets: [Int] = [0]
        var quotedFields: [Int: String] = [:]
        var skipped = 0
        var nameColumns: [Int] = []
        var numeric: [Int] = []
        var lineStart = 0
        let count = bytes.count
        try bytes.withUnsafeBufferPointer { buffer in
            while lineStart < count {
                if buffer[lineStart] == newline || buffer[lineStart] == carriageReturn {
                    lineStart += 1
                    continue
                }
                if buffer[lineStart] == hash || columns.isEmpty {
                    var lineEnd = lineStart
                    while lineEnd < count && buffer[lineEnd] != newline { lineEnd += 1 }
                    var contentEnd = lineEnd
                    if contentEnd > lineStart && buffer[contentEnd - 1] == carriageReturn { contentEnd -= 1 }
                    defer { lineStart = lineEnd + 1 }
                    if buffer[lineStart] == hash && columns.isEmpty {
                        var start = lineStart + 1
                        while start < contentEnd && buffer[start] == UInt8(ascii: " ") { start += 1 }
                        let header = Header.parsed(UnsafeBufferPointer(rebasing: buffer[start..<contentEnd]))
                        columns = header.columns
                        columnIndex = header.columnIndex
                        nameColumns = header.nameColumns
                        numeric = header.numeric
                        // Exactly the room the records need (lines × fields): a guess that falls short doubles
                        // the array, and at 10,000 servers that doubling was the console's memory peak.
                        let lines = Self.lineCount(buffer, from: lineEnd + 1)
                        bounds.reserveCapacity(lines * (columns.count + 2))
                        rowOffsets.reserveCapacity(lines + 1)
                    }
                    continue  // the header, later comments, or banner text before the header
                }
                // One record: fields separated by commas, possibly quoted, ending at an unquoted line break.
                let first = bounds.count
                var valid = true
                var position = lineStart
                var recordQuotes: [Int: String] = [:]
                // Fast path, nearly every record: no quote on the line, so it ends at the next line break
                // and fields are split on every comma (memchr finds both).
                let base = buffer.baseAddress!
                let lineEnd =
                    memchr(base + lineStart, Int32(newline), count - lineStart).map {
                        UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base
                    } ?? count
                let quoted = memchr(base + lineStart, Int32(quote), lineEnd - lineStart) != nil
                if !quoted {
                    var contentEnd = lineEnd
                    if contentEnd > lineStart && buffer[contentEnd - 1] == carriageReturn { contentEnd -= 1 }
                    bounds.append(Int32(lineStart))
                    var scan = lineStart
                    while scan < contentEnd {
                        if buffer[scan] == comma { bounds.append(Int32(scan + 1)) }
                        scan += 1
                    }
                    bounds.append(Int32(contentEnd + 1))
                    lineStart = lineEnd + 1
                }
                fields: while quoted {
                    let fieldIndex = bounds.count - first
                    bounds.append(Int32(position))
                    if position < count && buffer[position] == quote {
                        var scan = position + 1
                        var text: [UInt8] = []
                        var closed = false
                        while scan < count {
                            if buffer[scan] == quote {
                                if scan + 1 < count && buffer[scan + 1] == quote {
                                    text.append(quote)
                                    scan += 2
                                    continue
                                }
                                closed = true
                                scan += 1
                                break
                            }
                            text.append(buffer[scan])
                            scan += 1
                        }
                        recordQuotes[first + fieldIndex] = String(decoding: text, as: UTF8.self)
                        position = scan
                        if !closed { valid = false }
                    } else {
                        while position < count && buffer[position] != comma && buffer[position] != newline {
                            if buffer[position] == carriageReturn
                                && (position + 1 == count || buffer[position + 1] == newline)
                            {
                                break
                            }
                            if buffer[position] == quote { valid = false }  // a quote inside an unquoted field
                            position += 1
                        }
                    }
                    // After the field: a comma, or the end of the record.
                    if position < count && buffer[position] == comma {
                        position += 1
                        continue fields
                    }
                    var end = position
                    if end < count && buffer[end] == carriageReturn
                        && (end + 1 == count || buffer[end + 1] == newline)
                    {
                        end += 1
                    }
                    if end < count && buffer[end] != newline {
                        valid = false  // text after a closing quote: skip to the end of the line
                        while end < count && buffer[end] != newline { end += 1 }
                    }
                    bounds.append(Int32(position + 1))
                    lineStart = end + 1
                    break fields
                }
                let fieldCount = bounds.count - first - 1
                if valid {
                    // HAProxy ends every row with a comma, like the header: one empty field more than columns.
                    let trailingEmpty =
                        fieldCount == columns.count + 1
                        && Int(bounds[first + fieldCount]) - 1 == Int(bounds[first + fieldCount - 1])
                    valid = fieldCount == columns.count || trailingEmpty
                }
                if valid {
                    for column in nameColumns {
                        let start = Int(bounds[first + column]), end = Int(bounds[first + column + 1]) - 1
                        var ok = start < end
                        var index = start
                        while ok && index < end {
                            ok = Self.isNameByte(buffer[index])
                            index += 1
                        }
                        if !ok {
                            valid = false
                            break
                        }
                    }
                }
                if valid {
                    for column in numeric {
                        var index = Int(bounds[first + column])
                        let end = Int(bounds[first + column + 1]) - 1
                        guard index < end else { continue }  // empty: no value, which is fine
                        if buffer[index] == UInt8(ascii: "-") { index += 1 }
                        var ok = index < end && end - index <= 19
                        while ok && index < end {
                            ok = buffer[index] &- UInt8(ascii: "0") < 10
                            index += 1
                        }
                        if !ok {
                            valid = false
                            break
                        }
                    }
                }
                if !valid {
                    bounds.removeSubrange(first...)
                    skipped += 1
                    continue
                }
                if !recordQuotes.isEmpty { quotedFields.merge(recordQuotes) { _, new in new } }
                rowOffsets.append(bounds.count)
            }
            guard columns.contains("pxname"), columns.contains("svname") else {
                throw SwitchboardError(
                    .malformedOutput,
                    "show stat output has no '# pxname,svname,…' header — is this HAProxy's stats CSV?")
            }
        }
        let kept = rowOffsets.count - 1
        if skipped > kept {
            throw SwitchboardError(
                .malformedOutput,
                "show stat output is unreadable: \(skipped) of \(skipped + kept) records failed validation "
                    + "(wrong number of fields, bad names or numbers) — nothing from it is shown")
        }
        self.columns = columns
        self.columnIndex = columnIndex
        self.bytes = bytes
        self.bounds = bounds
        self.rowOffsets = rowOffsets
        self.quoted = quotedFields
        self.skippedLines = skipped
    }

    /// A parsed header line. Every table from one HAProxy build has the same header, so the last few are
    /// kept and reused: a fleet of 20 balancers polled each second parses the header's ~100 names once, not
    /// 20 times a second.
    struct Header: Sendable {
        let bytes: [UInt8]
        let columns: [String]
        let columnIndex: [String: Int]
        let nameColumns: [Int]
        let numeric: [Int]

        private static let recent = Mutex<[Header]>([])

        /// The header for these bytes, from the recent ones when the same bytes were seen.
        static func parsed(_ line: UnsafeBufferPointer<UInt8>) -> Header {
            let known = recent.withLock { headers in
                headers.first { header in
                    header.bytes.count == line.count
                        && header.bytes.withUnsafeBufferPointer {
                            line.isEmpty || memcmp($0.baseAddress!, line.baseAddress!, line.count) == 0
                        }
                }
            }
            if let known { return known }
            var names = String(decoding: line, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
                .map(String.init)
            if names.last == "" { names.removeLast() }
            var index: [String: Int] = [:]
            for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
            let header = Header(
                bytes: Array(line), columns: names, columnIndex: index,
                nameColumns: ["pxname", "svname"].compactMap { index[$0] },
                numeric: StatTable.numericColumns.compactMap { index[$0] })
            recent.withLock { headers in
                headers.insert(header, at: 0)
                if headers.count > 4 { headers.removeLast() }
            }
            return header
        }
    }

    /// HAProxy's alphabet for proxy and server names (`invalid_char()`): letters, digits, `_ . : -`.
    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
            UInt8(ascii: "-"):
            true
        default: false
        }
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
        if !quoted.isEmpty, let text = quoted[rowOffsets[row] + column] { return text }
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
        if !quoted.isEmpty, let text = quoted[rowOffsets[row] + column] { return Int(text) }
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
            a.count == b.count, quoted.isEmpty
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
