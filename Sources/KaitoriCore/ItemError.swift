/// Item input the store refused: one problem per field (and, for an imported sheet, per row).
/// Every problem is reported, not just the first, so staff fix a sheet in one pass.
public struct ItemError: Error, Equatable, CustomStringConvertible {
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        /// The sheet row (the header is row 1), or nil for an item entered on the command line.
        public var row: Int?
        /// The column as the sheet's header names it, or the field name.
        public var column: String
        public var message: String

        public init(row: Int? = nil, column: String, message: String) {
            self.row = row; self.column = column; self.message = message
        }

        /// `row 3: 数量: must be a whole number from 1 to 99,999`
        public var description: String {
            (row.map { "row \($0): " } ?? "") + "\(column): \(message)"
        }
    }

    public var code: String
    public var problems: [Problem]

    public init(code: String, problems: [Problem]) {
        self.code = code; self.problems = problems
    }

    public var description: String {
        if problems.count == 1, problems[0].row == nil { return "case \(code): \(problems[0])" }
        let head = problems.contains { $0.row != nil }
            ? "case \(code): the item sheet was not imported, nothing changed (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"
            : "case \(code): the item was not saved:"
        return ([head] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
