import Foundation

/// Recorded outputs of a real HAProxy 2.6, committed under `Tests/Fixtures/haproxy-2.6/`.
public enum Fixtures {
    /// The package's root directory.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory of the recorded HAProxy 2.6 outputs.
    public static let directory = packageRoot.appendingPathComponent("Tests/Fixtures/haproxy-2.6")

    /// A fixture's text; fails loudly when missing (fixtures are never recorded silently).
    public static func text(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FixtureMissing(path: url.path)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A fixture's bytes.
    public static func bytes(_ name: String) throws -> [UInt8] {
        Array(try text(name).utf8)
    }

    /// The error for a missing fixture, with the command that records fixtures.
    public struct FixtureMissing: Error, CustomStringConvertible {
        /// The path that was looked for.
        public let path: String
        /// The text shown to people.
        public var description: String {
            "fixture \(path) is missing — record fixtures with `swift run switchboard-lab record-fixtures`"
        }
    }
}
