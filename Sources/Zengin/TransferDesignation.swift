/// How the bank forwards the transfer (振込指定区分).
///
/// The format defines 7 and 8, but some banks want the position left blank or set to 0, so this is
/// a per-bank setting rather than something the shop chooses per payee.
public enum TransferDesignation: UInt8, Sendable, CaseIterable {
    /// "7": 電信 (telegraphic), the usual choice.
    case telegraphic = 0x37
    /// "8": 文書 (by document).
    case document = 0x38
    /// " ": for banks that want the position blank.
    case blank = 0x20
    /// "0": for banks that want a zero.
    case zero = 0x30

    var byte: UInt8 { rawValue }

    init?(byte: UInt8) {
        self.init(rawValue: byte)
    }
}
