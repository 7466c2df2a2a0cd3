/// A Zengin 総合振込 (general transfer) file: one header, the transfers, and the trailer and end
/// records, which are always derived from the transfers and never supplied by the caller.
public struct TransferFile: Equatable, Sendable {
    public var header: TransferHeader
    public var transfers: [Transfer]

    /// What goes between records. Banks take CR LF or nothing; never a lone LF or CR.
    public enum Separator: Sendable {
        case crlf
        case none

        var bytes: [UInt8] {
            switch self {
            case .crlf: [0x0D, 0x0A]
            case .none: []
            }
        }
    }

    /// Every record is this long, separator excluded.
    public static let recordLength = 120

    public init(header: TransferHeader, transfers: [Transfer]) {
        self.header = header
        self.transfers = transfers
    }
}
