/// The file types accepted as identity documents, recognised by content rather than by the
/// client's declared type or file name.
public enum FileKind: String, Equatable, Sendable, CaseIterable {
    case jpeg
    case png
    case pdf
    case heic

    /// HEIF major brands of still images and image sequences (ISO/IEC 23008-12).
    private static let heifBrands: Set<[UInt8]> = Set(
        ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"].map { Array($0.utf8) })

    /// Recognises a file from its first bytes (`UploadedFile.head`); `nil` for anything else.
    public static func sniff(_ head: [UInt8]) -> FileKind? {
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        // ISO BMFF: a 4-byte box size, then the `ftyp` box type and its major brand.
        if head.count >= 12, head[4..<8].elementsEqual("ftyp".utf8), heifBrands.contains(Array(head[8..<12])) {
            return .heic
        }
        return nil
    }

    /// The media type to store and serve it under.
    public var mediaType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .pdf: "application/pdf"
        case .heic: "image/heic"
        }
    }

    /// The usual file name extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .pdf: "pdf"
        case .heic: "heic"
        }
    }
}
