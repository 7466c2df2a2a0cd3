import Foundation
import KaitoriCore
import Yams

/// Loads `shop.yml` into `Settings`, reporting every problem with its line.
public enum SettingsFile {
    public static let fileName = "shop.yml"

    /// Reads `DIR/shop.yml`.
    public static func load(site: String) -> (Settings?, [SettingsProblem]) {
        let path = site + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return (nil, [SettingsProblem(file: fileName, line: 1, key: "(file)", message: "cannot read \(path) as UTF-8 text")])
        }
        return parse(text, file: fileName)
    }

    /// Settings when there are no errors (warnings allowed), else a `SettingsError`.
    public static func require(site: String) throws -> Settings {
        let (settings, problems) = load(site: site)
        let errors = problems.filter { $0.severity == .error }
        guard let settings, errors.isEmpty else { throw SettingsError(problems: errors) }
        return settings
    }

    public static func parse(_ text: String, file: String = fileName) -> (Settings?, [SettingsProblem]) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (nil, [syntaxProblem(error, text: text, file: file)])
        } catch {
            return (nil, [SettingsProblem(file: file, line: 1, key: "(syntax)", message: "\(error)")])
        }
        let sink = ProblemSink()
        let r = NodeReader(file: file, path: "", node: root ?? Node.mapping(Node.Mapping([])), line: 1, sink: sink)
        let settings = SettingsReading(r: r, file: file, sink: sink).read()
        r.finish()
        let sorted = sink.problems.sorted { ($0.line, $0.key) < ($1.line, $1.key) }
        return (sorted.contains { $0.severity == .error } ? nil : settings, sorted)
    }

    /// A YAML syntax error as the reader's reason and line, with a hint for the two mistakes that
    /// Japanese editing makes most: a full-width colon after a key, and a tab in the indentation.
    /// The hint's line is reported when it comes before the parser's (which often notices later).
    static func syntaxProblem(_ error: YamlError, text: String, file: String) -> SettingsProblem {
        var line = 1
        var reason = "invalid YAML"
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            line = mark.line
            reason = problem + (context.map { " (\($0.text), line \($0.mark.line))" } ?? "")
        case .reader(let problem, _, _, _):
            reason = problem
        default:
            reason = "\(error)".split(separator: "\n").first.map(String.init) ?? reason
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index + 1 <= line {
            let indent = raw.prefix { $0 == " " || $0 == "\t" || $0 == "-" }
            if indent.contains("\t") {
                return SettingsProblem(file: file, line: index + 1, key: "(syntax)",
                                       message: "\(reason); hint: this line is indented with a tab, YAML indents with spaces only")
            }
            let rest = raw.dropFirst(indent.count)
            let key = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !key.isEmpty, rest.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\u{3000}" }).hasPrefix("：") {
                return SettingsProblem(file: file, line: index + 1, key: "(syntax)",
                                       message: "\(reason); hint: \(key) is followed by a full-width colon ：, write `\(key): value` with a half-width colon and a space")
            }
        }
        return SettingsProblem(file: file, line: line, key: "(syntax)", message: reason)
    }
}
