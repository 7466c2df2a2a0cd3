import KaitoriCore
/// The signature drawn on the ID page's canvas, sent as `data:image/png;base64,...`.
struct SignatureImage: Equatable {
    /// What `canvas.toDataURL("image/png")` starts with.
    static let dataURLPrefix = "data:image/png;base64,"
    /// A signature on a phone-sized canvas is tens of kilobytes; this leaves room for large
    /// high-density screens and nothing more.
    static let maxBytes = 1 << 20
    /// The form field carrying the data URL must fit the base64 of `maxBytes`.
    static let maxFieldBytes = dataURLPrefix.utf8.count + (maxBytes + 2) / 3 * 4

    static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    enum Problem: Error, Equatable {
        /// Not a PNG data URL, not base64, or not a PNG inside.
        case unreadable
        case tooLarge
    }

    let png: [UInt8]

    /// - Throws: `Problem`.
    init(dataURL: String) throws {
        let text = dataURL.utf8
        guard text.starts(with: Self.dataURLPrefix.utf8) else { throw Problem.unreadable }
        let encoded = text.dropFirst(Self.dataURLPrefix.utf8.count)
        guard encoded.count <= Self.maxFieldBytes - Self.dataURLPrefix.utf8.count else { throw Problem.tooLarge }
        guard let bytes = Base64.decode(encoded) else { throw Problem.unreadable }
        guard bytes.count <= Self.maxBytes else { throw Problem.tooLarge }
        // The signature file, IHDR chunk included, is at least 8 + 25 bytes.
        guard bytes.count > 33, bytes.starts(with: Self.pngMagic) else { throw Problem.unreadable }
        png = bytes
    }
}
