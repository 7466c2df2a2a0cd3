import KaitoriCore
import Zengin

/// Builds the Zengin 総合振込 file for purchased, unpaid bank-transfer cases.
public enum TransferExport {
    /// One case that cannot go into the file, and why.
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public var code: String
        public var field: String
        public var message: String
        public var description: String { "case \(code): \(field): \(message)" }
    }

    public struct Refused: Error, Equatable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String {
            (problems.map(\.description) + ["no file was written; fix the account details (kaitori case show CODE) and export again"])
                .joined(separator: "\n")
        }
    }

    /// The cases that go into the file (with their transfers, in the same order) and every problem
    /// of the cases left out.
    public struct Split: Sendable {
        public var included: [Case]
        public var transfers: [Transfer]
        public var excluded: [Problem]
        /// The codes of the cases left out, in case order.
        public var excludedCodes: [String] {
            var seen: Set<String> = []
            return excluded.map(\.code).filter { seen.insert($0).inserted }
        }
    }

    /// - Parameter date: transfer date as MMDD.
    /// - Throws: `Refused` listing every case whose account details are missing or invalid (all or
    ///   nothing), or a `ZenginError` for the shop's own bank settings.
    public static func build(cases: [Case], settings: Settings, date: String) throws -> TransferFile {
        let head = try header(settings: settings, date: date)
        let split = split(cases, settings: settings)
        if !split.excluded.isEmpty { throw Refused(problems: split.excluded) }
        return TransferFile(header: head, transfers: split.transfers)
    }

    /// The file's header record from the shop's bank settings.
    /// - Throws: `Refused` when `bank_transfer` is missing, a `ZenginError` for a bad name.
    public static func header(settings: Settings, date: String) throws -> TransferHeader {
        guard let bank = settings.bankTransfer else {
            throw Refused(problems: [Problem(code: "-", field: "shop.yml bank_transfer", message: "missing: set the requester code and account first")])
        }
        return TransferHeader(
            requesterCode: bank.requesterCode,
            requesterName: try ZenginKana.convert(bank.requesterName, field: "bank_transfer.requester_name", maxLength: 40, abbreviateLegalEntities: true),
            transferDate: date, bankCode: bank.bankCode,
            bankName: bank.bankName.isEmpty ? nil : try ZenginKana.convert(bank.bankName, field: "bank_transfer.bank_name", maxLength: 15, kind: .bankName),
            branchCode: bank.branchCode,
            branchName: bank.branchName.isEmpty ? nil : try ZenginKana.convert(bank.branchName, field: "bank_transfer.branch_name", maxLength: 15, kind: .bankName),
            accountType: AccountType(rawValue: UInt8(clamping: bank.accountType)) ?? .ordinary,
            accountNumber: bank.accountNumber)
    }

    /// How the shop's bank sends the transfers (telegraphic unless shop.yml says otherwise).
    public static func designation(settings: Settings) -> TransferDesignation {
        TransferDesignation(rawValue: Array(settings.bankTransfer?.transferDesignation.utf8 ?? "".utf8).first ?? 0x20) ?? .telegraphic
    }

    /// One case's data record, or every problem with its account details (a transfer can come
    /// with problems too: the file is refused then).
    public static func transfer(for c: Case, designation: TransferDesignation) -> (Transfer?, [Problem]) {
        var problems: [Problem] = []
        let p = c.payout
        func bad(_ field: String, _ message: String) { problems.append(Problem(code: c.code, field: field, message: message)) }
        if !isDigits(p.bankCode, 4) { bad("bank_code", "must be 4 digits (got \"\(p.bankCode)\")") }
        if !isDigits(p.branchCode, 3) { bad("branch_code", "must be 3 digits (got \"\(p.branchCode)\")") }
        if !isDigits(p.accountNumber, 7) { bad("account_number", "must be 7 digits (got \"\(p.accountNumber)\")") }
        let type = AccountType(rawValue: UInt8(clamping: p.accountType))
        if type == nil || type == .other { bad("account_type", "must be 1, 2 or 4 (got \(p.accountType))") }
        if c.acceptedTotal < 1 { bad("amount", "nothing to pay (accepted total \(c.acceptedTotal))") }
        var payee = ""
        do {
            payee = try AccountHolder.bankKana(p.accountHolder)
            if payee.isEmpty { bad("account_holder", "missing") }
        } catch {
            bad("account_holder", "\(error)")
        }
        guard let type else { return (nil, problems) }
        return (Transfer(bankCode: p.bankCode, branchCode: p.branchCode, accountType: type,
                         accountNumber: p.accountNumber, payeeName: payee, amount: c.acceptedTotal,
                         designation: designation), problems)
    }

    /// Checks every case's account details: a case with any problem is left out, with all its
    /// problems listed; one bad case never keeps the others out of the file.
    public static func split(_ cases: [Case], settings: Settings) -> Split {
        let designation = designation(settings: settings)
        var result = Split(included: [], transfers: [], excluded: [])
        for c in cases {
            let (transfer, problems) = transfer(for: c, designation: designation)
            guard problems.isEmpty, let transfer else {
                result.excluded += problems
                continue
            }
            result.included.append(c)
            result.transfers.append(transfer)
        }
        return result
    }

    static func isDigits(_ s: String, _ n: Int) -> Bool { s.count == n && s.allSatisfy { ("0"..."9").contains($0) } }
}
