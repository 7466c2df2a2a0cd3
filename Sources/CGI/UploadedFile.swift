/// A file part of a multipart body, already on disk.
public struct UploadedFile: Equatable, Sendable {
    /// How many leading bytes `head` keeps: enough for every signature `FileKind` knows.
    public static let headLength = 16

    /// The form field it was sent under (`id_front`).
    public let fieldName: String
    /// The client's name for it, sanitized for display (see `sanitizedFileName(_:)`); may be empty.
    /// Never used to name anything on disk.
    public let fileName: String
    /// The part's `Content-Type` as the client declared it: a claim, not a fact (see `kind`).
    public let declaredContentType: String?
    /// Where it was stored; empty with `UploadStorage.discard`.
    public let path: String
    /// Its size in bytes.
    public let size: Int
    /// Its first `headLength` bytes (fewer if it is shorter), for magic-byte checks.
    public let head: [UInt8]

    public init(fieldName: String, fileName: String, declaredContentType: String?, path: String, size: Int, head: [UInt8]) {
        self.fieldName = fieldName
        self.fileName = fileName
        self.declaredContentType = declaredContentType
        self.path = path
        self.size = size
        self.head = head
    }

    /// What the content is, judged by its first bytes.
    public var kind: FileKind? { FileKind.sniff(head) }

    /// Reduces a client-supplied file name to something safe to show and log: the last path
    /// component (old browsers send `C:\…\photo.jpg`), without control characters or the
    /// bidirectional overrides that make `invoice‮fdp.exe` look like a PDF, at most 255 bytes.
    public static func sanitizedFileName(_ raw: String) -> String {
        let lastComponent = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in lastComponent.unicodeScalars where !isUnsafeInFileName(scalar) {
            scalars.append(scalar)
        }
        var name = String(scalars)
        while name.first == " " { name.removeFirst() }
        while name.last == " " { name.removeLast() }
        if name == "." || name == ".." { return "" }
        if name.utf8.count > 255 {
            // Cut at a character boundary so the result stays valid text.
            var truncated = ""
            for character in name {
                guard truncated.utf8.count + character.utf8.count <= 255 else { break }
                truncated.append(character)
            }
            name = truncated
            while name.last == " " { name.removeLast() }
        }
        return name
    }

    private static func isUnsafeInFileName(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true                  // C0 and C1 controls, DEL
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidi marks and overrides
        default: false
        }
    }
}
