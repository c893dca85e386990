import FoundationEssentials
import SwitchboardCore
import TOMLKit

/// A drill as a TOML file (`switchboard drill --file drill.toml`): the same settings as the flags, one key each.
/// A bad file is refused before anything connects, naming the file, the line and the problem.
///
/// ```toml
/// backend = "be_web"
/// inject = "health-down"      # health-down, agent-down, maint, weight-0
/// count = 2                   # optional: how many active servers (default: every serving one)
/// expect = "backups"          # backups or remaining
/// within = "10s"
/// duration = "30s"
/// min_share = 95
/// max_5xx = 5
/// min_serving = 1
/// abort_5xx = 20              # optional
/// abort_no_server = "5s"
/// probe = "http://127.0.0.1:8080/"   # optional: must answer 2xx before, during and after
/// abort_probe = "5s"
/// ```
enum DrillFile {
    static let keys: Set<String> = [
        "backend", "inject", "count", "expect", "within", "duration", "min_share", "max_5xx", "min_serving",
        "abort_5xx", "abort_no_server", "probe", "abort_probe",
    ]

    /// The drill in `path`.
    static func load(_ path: String) throws -> DrillSpec {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SwitchboardError(.invalidValue, "drill file \(path): cannot read the file")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(_ key: String) -> String {
            let number = lines.firstIndex {
                $0.split(separator: "=", maxSplits: 1).first?.trimmingSpaces() == key
            }
            return number.map { "line \($0 + 1): " } ?? ""
        }
        func fail(_ key: String, _ problem: String) -> SwitchboardError {
            SwitchboardError(.invalidValue, "drill file \(path), \(line(key))\(problem)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SwitchboardError(
                .invalidValue, "drill file \(path), line \(error.source.begin.line): \(error.description)")
        }
        for key in table.keys where !keys.contains(key) {
            throw fail(key, "unknown key '\(key)' (known: \(keys.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else { throw fail(key, "\(key) must be a string") }
            return text
        }
        func number(_ key: String) throws -> Double? {
            guard let value = table[key] else { return nil }
            if let int = value.int { return Double(int) }
            if let double = value.double { return double }
            throw fail(key, "\(key) must be a number")
        }
        func seconds(_ key: String) throws -> Double? {
            guard let value = table[key] else { return nil }
            if let int = value.int { return Double(int) }
            if let double = value.double { return double }
            guard let text = value.string, let parsed = try? DrillCommand.seconds(text, option: key) else {
                throw fail(key, "\(key) must be a time: \"10s\", \"500ms\", \"2m\" or seconds")
            }
            return parsed
        }
        guard let backend = try string("backend") else { throw fail("backend", "backend is missing") }
        let injectText = try string("inject") ?? DrillSpec.Injection.healthDown.rawValue
        guard let injection = DrillSpec.Injection(rawValue: injectText) else {
            throw fail(
                "inject",
                "inject '\(injectText)' is not one of "
                    + DrillSpec.Injection.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let expectText = try string("expect") ?? DrillSpec.Expectation.backups.rawValue
        guard let expectation = DrillSpec.Expectation(rawValue: expectText) else {
            throw fail("expect", "expect '\(expectText)' is not backups or remaining")
        }
        var spec = DrillSpec(
            backend: backend, injection: injection, count: try number("count").map { Int($0) }, expect: expectation)
        if let within = try seconds("within") { spec.within = within }
        spec.duration = try seconds("duration") ?? spec.within + 10
        if let share = try number("min_share") { spec.minimumShare = share }
        if let rate = try number("max_5xx") { spec.maximumErrorRate = rate }
        if let serving = try number("min_serving") { spec.minimumServing = Int(serving) }
        spec.abortErrorRate = try number("abort_5xx")
        if let noServer = try seconds("abort_no_server") { spec.abortNoServer = noServer }
        if let url = try string("probe") {
            do {
                spec.probe = try DrillProbe(parsing: url)
            } catch let error as SwitchboardError {
                throw fail("probe", error.message.replacing("--probe ", with: "probe "))
            }
        }
        if let probing = try seconds("abort_probe") { spec.abortProbe = probing }
        if let problem = spec.problem() {
            let key = DrillFile.key(for: problem)
            throw fail(key, problem.replacing("--", with: ""))
        }
        return spec
    }

    /// The file key a flag-worded problem is about.
    static func key(for problem: String) -> String {
        let map = [
            "--count": "count", "--within": "within", "--duration": "duration", "--min-share": "min_share",
            "--max-5xx": "max_5xx", "--min-serving": "min_serving", "--abort-5xx": "abort_5xx",
            "--abort-no-server": "abort_no_server", "--abort-probe": "abort_probe", "backend": "backend",
        ]
        return map.first { problem.contains($0.key) }?.value ?? ""
    }
}
