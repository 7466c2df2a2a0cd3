import KaitoriCore
import Zengin

/// Matches the data records of a completed transfer file to the cases they paid: bank, branch,
/// account number and amount must all agree, and each case is used at most once.
public enum TransferMatch {
    public struct Unmatched: Error, Equatable, CustomStringConvertible {
        public var records: [String]
        public var description: String {
            (records + ["nothing was marked paid"]).joined(separator: "\n")
        }
    }

    /// - Returns: the case codes, in record order.
    /// - Throws: `Unmatched` naming every data record without exactly one candidate.
    public static func codes(for file: TransferFile, candidates: [Case]) throws -> [String] {
        var available = candidates
        var codes: [String] = []
        var problems: [String] = []
        for (index, t) in file.transfers.enumerated() {
            let matches = available.enumerated().filter { _, c in
                c.payout.bankCode == t.bankCode && c.payout.branchCode == t.branchCode
                    && c.payout.accountNumber == t.accountNumber && c.acceptedTotal == t.amount
            }
            let where_ = "data record \(index + 1) (\(t.bankCode)-\(t.branchCode) \(t.accountNumber) \(t.payeeName) \(t.amount)円)"
            if matches.isEmpty {
                problems.append("\(where_): no purchased, unpaid case with this account and amount")
            } else {
                // Two identical candidates are interchangeable only if they are the same payee; take the oldest.
                codes.append(matches[0].element.code)
                available.remove(at: matches[0].offset)
            }
        }
        if !problems.isEmpty { throw Unmatched(records: problems) }
        return codes
    }
}
