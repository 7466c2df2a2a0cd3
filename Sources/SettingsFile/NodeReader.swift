import Yams

/// Reads one YAML mapping key by key, collecting problems with line numbers instead of stopping
/// at the first, and reporting every key nobody asked for (a typo must never fall back silently).
final class NodeReader {
    let file: String
    let path: String
    let node: Node?
    let line: Int
    private var consumed: Set<String> = []
    private let sink: ProblemSink

    init(file: String, path: String, node: Node?, line: Int, sink: ProblemSink) {
        self.file = file; self.path = path; self.node = node; self.line = line; self.sink = sink
        if let node, node.mapping == nil {
            let hint = node.scalar?.string.contains("：") == true ? " (a full-width colon ： after a key: write the key with a half-width colon and a space, `key: value`)" : ""
            sink.add(file, node.mark?.line ?? line, path, "must be a mapping of keys" + hint)
        }
    }

    private func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }

    func value(_ k: String) -> Node? {
        consumed.insert(k)
        return node?.mapping?[k]
    }

    func lineOf(_ k: String) -> Int { value(k)?.mark?.line ?? node?.mark?.line ?? line }

    func problem(_ k: String, _ message: String, severity: SettingsProblem.Severity = .error) {
        sink.add(file, lineOf(k), key(k), message, severity)
    }

    func string(_ k: String, required: Bool = true, default def: String = "") -> String {
        guard let v = value(k) else {
            if required { sink.add(file, node?.mark?.line ?? line, key(k), "missing (required)") }
            return def
        }
        guard let scalar = v.scalar else {
            sink.add(file, v.mark?.line ?? line, key(k), "must be text")
            return def
        }
        let s = scalar.string
        // Unquoted digits are a number to YAML (leading zeros dropped, `0009` → 9): refused, not guessed.
        if scalar.style == .plain, [Tag.Name.int.rawValue, Tag.Name.float.rawValue].contains(v.tag.description) {
            sink.add(file, v.mark?.line ?? line, key(k), "must be text, not a number: put it in quotes (\(k): \"\(s)\")")
            return def
        }
        if required, s.isEmpty { sink.add(file, v.mark?.line ?? line, key(k), "must not be empty") }
        return s
    }

    func int(_ k: String, default def: Int, range: ClosedRange<Int>) -> Int {
        guard let v = value(k) else { return def }
        guard let s = v.scalar?.string, let n = Int(s) else {
            sink.add(file, v.mark?.line ?? line, key(k), "must be a whole number")
            return def
        }
        guard range.contains(n) else {
            sink.add(file, v.mark?.line ?? line, key(k), "must be between \(range.lowerBound) and \(range.upperBound), got \(n)")
            return def
        }
        return n
    }

    func bool(_ k: String, default def: Bool) -> Bool {
        guard let v = value(k) else { return def }
        switch v.scalar?.string {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            sink.add(file, v.mark?.line ?? line, key(k), "must be true or false")
            return def
        }
    }

    func child(_ k: String, required: Bool = true) -> NodeReader {
        let v = value(k)
        if v == nil, required { sink.add(file, node?.mark?.line ?? line, key(k), "missing (required)") }
        return NodeReader(file: file, path: key(k), node: v, line: v?.mark?.line ?? line, sink: sink)
    }

    /// Each element of a sequence as a reader (for lists of mappings).
    func list(_ k: String, required: Bool = true) -> [NodeReader] {
        guard let v = value(k) else {
            if required { sink.add(file, node?.mark?.line ?? line, key(k), "missing (required)") }
            return []
        }
        guard let seq = v.sequence else {
            sink.add(file, v.mark?.line ?? line, key(k), "must be a list")
            return []
        }
        return seq.enumerated().map { i, n in
            NodeReader(file: file, path: "\(key(k))[\(i)]", node: n, line: n.mark?.line ?? line, sink: sink)
        }
    }

    /// A sequence of plain scalars.
    func scalars(_ k: String) -> [(String, Int)] {
        guard let v = value(k) else { return [] }
        guard let seq = v.sequence else {
            sink.add(file, v.mark?.line ?? line, key(k), "must be a list")
            return []
        }
        return seq.compactMap { n in
            guard let s = n.scalar?.string else {
                sink.add(file, n.mark?.line ?? line, key(k), "items must be text")
                return nil
            }
            return (s, n.mark?.line ?? line)
        }
    }

    /// The keys of the mapping with their readers (for `messages:`).
    func entries() -> [(String, NodeReader)] {
        guard let mapping = node?.mapping else { return [] }
        return mapping.compactMap { k, v in
            guard let name = k.scalar?.string else { return nil }
            consumed.insert(name)
            return (name, NodeReader(file: file, path: key(name), node: v, line: v.mark?.line ?? line, sink: sink))
        }
    }

    /// Reports every key that was never read.
    func finish() {
        guard let mapping = node?.mapping else { return }
        for (k, _) in mapping {
            let name = k.scalar?.string ?? "?"
            if !consumed.contains(name) {
                sink.add(file, k.mark?.line ?? line, key(name), "unknown key")
            }
        }
    }
}

final class ProblemSink {
    var problems: [SettingsProblem] = []
    func add(_ file: String, _ line: Int, _ key: String, _ message: String, _ severity: SettingsProblem.Severity = .error) {
        problems.append(SettingsProblem(file: file, line: line, key: key, message: message, severity: severity))
    }
}
