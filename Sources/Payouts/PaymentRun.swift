import KaitoriCore
import Zengin

/// Marking cases paid in bulk, the same way from the CLI (`kaitori pay`) and the console's
/// payments page: by a list of codes (one a line) or by the bank's completed transfer file.
/// All or nothing: any unknown code, unpayable case or unmatched record changes nothing.
public enum PaymentRun {
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// The case codes in a list: one a line, blank lines and `#` comments ignored.
    /// - Throws: `Refused` when the text is not UTF-8 or holds no code.
    public static func codes(inList bytes: [UInt8], source: String) throws -> [String] {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Refused(description: "\(source): not UTF-8 text") }
        let codes = text.split(whereSeparator: \.isNewline)
            .map { TextNormalizer.trim(String($0)) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        if codes.isEmpty { throw Refused(description: "\(source): no case codes") }
        return codes
    }

    /// The cases a completed transfer file paid, and the history note that says so.
    /// - Throws: `Refused` naming the file and every record that does not match exactly one case.
    public static func codes(inTransferFile bytes: [UInt8], source: String, store: CaseStore) throws -> (codes: [String], note: String) {
        let file: TransferFile
        do { file = try TransferFile.decode(bytes) } catch let error as ZenginError {
            throw Refused(description: "\(source): \(error)")
        }
        do {
            let codes = try TransferMatch.codes(for: file, candidates: store.payableBankTransfers(includeExported: true))
            return (codes, "Zengin transfer \(file.header.transferDate)")
        } catch let unmatched as TransferMatch.Unmatched {
            throw Refused(description: "\(source):\n\(unmatched)")
        }
    }
}
