#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// Formats numbers as C's `printf` does (`%.1f`, `%5.1f`, `%g`, `%ld`, `%03ld`, `%%`), for figures on screen and
    /// in reports. It stands in for Foundation's `String(format:)`: the console binary does not link Foundation
    /// (only FoundationEssentials), whose NSString, CoreFoundation and ICU made it larger to map and to start. Integers take `%ld` (an `Int` is 64 bits); no `%@`.
    public init(printf format: String, _ arguments: any CVarArg...) {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let needed = withVaList(arguments) { list in
                Int(buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, format, list) })
            }
            if needed < 0 {
                self = format
                return
            }
            if needed < capacity {
                self = String(decoding: buffer.prefix(needed).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                return
            }
            capacity = needed + 1
        }
    }
}
