import SitePages
import Yams

/// The YAML block at the top of a content file, between two `---` lines.
struct FrontMatter: Equatable {
    static let keys = ["title", "description", "layout", "menu", "draft"]

    var title = ""
    var description = ""
    var layout = "page"
    var menu: Int?
    var draft = false

    /// Splits a content file into front matter and Markdown body.
    ///
    /// - Parameter file: The file's path relative to the shop folder, which every problem names.
    /// - Returns: The front matter and body, or every problem found, each with its line.
    static func parse(_ text: String, file: String) -> Result<(FrontMatter, body: String), FrontMatterProblems> {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let first = lines.first, first.trimmingSpaces == "---" else {
            return .failure(FrontMatterProblems([SiteError(file: file, line: 1, message: "must start with front matter: a line `---`, `title: …`, then `---`")]))
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingSpaces == "---" || $0.trimmingSpaces == "..." }) else {
            return .failure(FrontMatterProblems([SiteError(file: file, line: 1, message: "the front matter opened here is never closed with a line `---`")]))
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n")
        // YAML line 1 is the file's line 2, after the opening `---`.
        func line(_ node: Node?) -> Int { (node?.mark?.line ?? 0) + 1 }

        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            return .failure(FrontMatterProblems([SiteError(file: file, line: yamlLine(error) + 1, message: "front matter is not valid YAML: \(firstLine(error))")]))
        } catch {
            return .failure(FrontMatterProblems([SiteError(file: file, line: 2, message: "front matter is not valid YAML: \(error)")]))
        }
        guard let mapping = root?.mapping else {
            return .failure(FrontMatterProblems([SiteError(file: file, line: 2, message: "front matter must be `key: value` lines with at least a title")]))
        }
        var matter = FrontMatter()
        var problems: [SiteError] = []
        var sawTitle = false
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let at = line(keyNode)
            guard let text = value.scalar?.string else {
                problems.append(SiteError(file: file, line: at, message: "\(key): must be a single value, not a list or mapping"))
                continue
            }
            switch key {
            case "title":
                sawTitle = true
                matter.title = text.trimmingSpaces
                if matter.title.isEmpty { problems.append(SiteError(file: file, line: at, message: "title: must not be empty")) }
            case "description":
                matter.description = text.trimmingSpaces
            case "layout":
                matter.layout = text.trimmingSpaces
            case "menu":
                if let order = Int(text), (0...9999).contains(order) { matter.menu = order }
                else { problems.append(SiteError(file: file, line: at, message: "menu: must be a whole number from 0 to 9999 (the menu position), got '\(text)'")) }
            case "draft":
                switch text {
                case "true", "yes": matter.draft = true
                case "false", "no": matter.draft = false
                default: problems.append(SiteError(file: file, line: at, message: "draft: must be true or false, got '\(text)'"))
                }
            default:
                problems.append(SiteError(file: file, line: at, message: "unknown key '\(key)'; the keys are \(keys.joined(separator: ", "))"))
            }
        }
        if !sawTitle { problems.append(SiteError(file: file, line: 2, message: "title: missing (required)")) }
        guard problems.isEmpty else { return .failure(FrontMatterProblems(problems.sorted { $0.line < $1.line })) }
        return .success((matter, body))
    }

    private static func yamlLine(_ error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 1
        }
    }

    private static func firstLine(_ error: YamlError) -> String {
        "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
    }
}

/// Every problem in one content file's front matter.
struct FrontMatterProblems: Error, Equatable {
    var problems: [SiteError]
    init(_ problems: [SiteError]) { self.problems = problems }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
