/// Caps on what a form body may hold; going over any of them is `CGIError.tooLarge`.
///
/// They bound memory and disk per request independently of the body limit, so a body within
/// `CONTENT_LENGTH` limits still cannot, say, pack a million empty fields.
public struct FormLimits: Equatable, Sendable {
    /// Text fields, counting repeats.
    public var maxFields: Int
    /// Bytes in one text field's value (decoded).
    public var maxFieldBytes: Int
    /// Bytes in all text field names and values together (decoded).
    public var maxTotalBytes: Int
    /// File parts in a multipart body, counting empty file inputs.
    public var maxFiles: Int
    /// Bytes in one uploaded file.
    public var maxFileBytes: Int
    /// Bytes in one part's header block.
    public var maxPartHeaderBytes: Int

    public init(
        maxFields: Int = 2_000,
        maxFieldBytes: Int = 65_536,
        maxTotalBytes: Int = 1_048_576,
        maxFiles: Int = 8,
        maxFileBytes: Int = 10_485_760,
        maxPartHeaderBytes: Int = 8_192
    ) {
        self.maxFields = maxFields
        self.maxFieldBytes = maxFieldBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxFiles = maxFiles
        self.maxFileBytes = maxFileBytes
        self.maxPartHeaderBytes = maxPartHeaderBytes
    }
}
