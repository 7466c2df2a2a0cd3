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
            return (nil, [SettingsProblem(file: file, line: yamlLine(error), key: "(syntax)", message: "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML")])
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

    private static func yamlLine(_ error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 1
        }
    }
}
