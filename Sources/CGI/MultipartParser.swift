/// A streaming `multipart/form-data` parser (RFC 7578 over RFC 2046).
///
/// It reads the body a chunk at a time: text fields are collected (each capped by
/// `FormLimits.maxFieldBytes`), file parts are written to `storage` as they arrive, so a file is
/// never whole in memory. On any error every file it created is deleted before the error is
/// thrown.
public struct MultipartParser: Sendable {
    /// The default read size.
    public static let defaultChunkSize = 65_536

    /// The boundary, without the leading `--`.
    public let boundary: String
    public let limits: FormLimits
    public let storage: UploadStorage
    /// The most bytes asked of the source at once.
    public let chunkSize: Int

    /// - Throws: `CGIError.malformed` when `boundary` is not an RFC 2046 boundary (1 to 70
    ///   characters from its set, not ending in a space).
    public init(
        boundary: String,
        limits: FormLimits = FormLimits(),
        storage: UploadStorage,
        chunkSize: Int = MultipartParser.defaultChunkSize
    ) throws {
        precondition(chunkSize > 0, "chunk size must be positive")
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count) else {
            throw CGIError.malformed("multipart boundary \"\(boundary)\" is \(bytes.count) bytes, not 1 to 70")
        }
        guard bytes.allSatisfy(Self.isBoundaryCharacter), bytes.last != ASCII.space else {
            throw CGIError.malformed("multipart boundary \"\(boundary)\" has characters RFC 2046 does not allow")
        }
        self.boundary = boundary
        self.limits = limits
        self.storage = storage
        self.chunkSize = chunkSize
    }

    /// A parser for the boundary of a request's `CONTENT_TYPE`.
    ///
    /// - Throws: `CGIError.unsupportedMediaType` unless it is `multipart/form-data`;
    ///   `CGIError.malformed` without a valid `boundary` parameter.
    public init(
        contentType: MediaType,
        limits: FormLimits = FormLimits(),
        storage: UploadStorage,
        chunkSize: Int = MultipartParser.defaultChunkSize
    ) throws {
        guard contentType.essence == "multipart/form-data" else {
            throw CGIError.unsupportedMediaType(contentType.essence)
        }
        guard let boundary = contentType.parameter("boundary") else {
            throw CGIError.malformed("CONTENT_TYPE multipart/form-data has no boundary")
        }
        try self.init(boundary: boundary, limits: limits, storage: storage, chunkSize: chunkSize)
    }

    /// Parses a body from `source` to its end.
    ///
    /// Pass a `RequestBody` (from `CGIRequest.body(from:limit:)`) rather than a bare descriptor,
    /// so the read stops at `CONTENT_LENGTH`.
    ///
    /// - Throws: `CGIError.malformed` naming the part at fault (a missing closing boundary
    ///   included); `CGIError.tooLarge` past `limits`; `CGIError.io` when a file cannot be
    ///   written; whatever `source` throws.
    public func parse<Source: ByteSource>(_ source: inout Source) throws -> MultipartResult {
        var session = MultipartSession(
            source: source, boundary: boundary, limits: limits, storage: storage, chunkSize: chunkSize)
        defer { source = session.source }
        do {
            return try session.run()
        } catch {
            session.removeFiles()
            throw error
        }
    }

    /// Parses a body held in memory, through the same code as a streamed one.
    ///
    /// - Throws: as `parse(_:)` with a source.
    public func parse(_ bytes: [UInt8]) throws -> MultipartResult {
        var source = ByteArraySource(bytes)
        return try parse(&source)
    }

    /// RFC 2046 `bchars`.
    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: "_"),
             UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
             UInt8(ascii: "="), UInt8(ascii: "?"), ASCII.space:
            return true
        default:
            return false
        }
    }
}
