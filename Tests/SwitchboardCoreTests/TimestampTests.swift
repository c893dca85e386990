import Foundation
import SwitchboardCore
import Testing

/// Record timestamps: UTC, milliseconds, `Z`; read back with or without the fraction.
@Suite("Record timestamps")
struct TimestampTests {
    @Test func theFormatIsUTCWithMillisecondsAndReadsBack() throws {
        #expect(AuditRecord.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(AuditRecord.timestamp(Date(timeIntervalSince1970: 1_764_655_642.547)) == "2025-12-02T06:07:22.547Z")
        let back = try #require(AuditRecord.date(fromTimestamp: "2025-12-02T06:07:22.547Z"))
        #expect(abs(back.timeIntervalSince1970 - 1_764_655_642.547) < 0.0005)
        #expect(AuditRecord.date(fromTimestamp: "2025-12-02T06:07:22Z")?.timeIntervalSince1970 == 1_764_655_642)
        #expect(AuditRecord.date(fromTimestamp: "yesterday") == nil)
    }
}
