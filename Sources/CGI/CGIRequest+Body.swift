extension CGIRequest {
    /// The request body as a source of exactly `CONTENT_LENGTH` bytes.
    ///
    /// Nothing is read here, so a request over the limit is refused before any of its body is
    /// consumed. A missing `CONTENT_LENGTH` means an empty body (RFC 3875 §4.1.2).
    ///
    /// - Parameters:
    ///   - source: where the body comes from, normally `FileDescriptorSource(fd: 0)`.
    ///   - limit: the largest body accepted, in bytes.
    /// - Throws: `CGIError.tooLarge` when `CONTENT_LENGTH` exceeds `limit`.
    public func body<Source: ByteSource>(from source: Source, limit: Int) throws -> RequestBody<Source> {
        let length = contentLength ?? 0
        guard length <= limit else { throw CGIError.tooLarge }
        return RequestBody(source: source, contentLength: length)
    }

    /// Reads the whole body into memory, for bodies that are small by nature (urlencoded forms).
    ///
    /// - Throws: as `body(from:limit:)` and `RequestBody.read(into:)`.
    public func readBody<Source: ByteSource>(from source: Source, limit: Int) throws -> [UInt8] {
        var body = try body(from: source, limit: limit)
        return try body.readAll()
    }

    /// Reads a form body of either kind a browser sends.
    ///
    /// `application/x-www-form-urlencoded` is read whole and decoded; `multipart/form-data` is
    /// streamed through `MultipartParser`, its files going to `uploads`. A urlencoded body gives a
    /// result without files. A request with neither a body nor a `CONTENT_TYPE` gives an empty
    /// form, so that the caller's field validation (not this layer) explains what is missing.
    ///
    /// - Parameters:
    ///   - maxBodyBytes: the largest `CONTENT_LENGTH` accepted.
    ///   - uploads: where file parts go; `nil` refuses multipart bodies (routes without files).
    /// - Throws: `CGIError.unsupportedMediaType` for any other type or for multipart without
    ///   `uploads`; otherwise as the decoders.
    public func readForm<Source: ByteSource>(
        from source: Source,
        maxBodyBytes: Int,
        limits: FormLimits = FormLimits(),
        uploads: UploadStorage?
    ) throws -> MultipartResult {
        guard let contentType else {
            if (contentLength ?? 0) == 0 { return MultipartResult(fields: FormFields(), files: []) }
            throw CGIError.unsupportedMediaType("a body without CONTENT_TYPE")
        }
        switch contentType.essence {
        case "application/x-www-form-urlencoded":
            let bytes = try readBody(from: source, limit: maxBodyBytes)
            return MultipartResult(fields: try URLEncodedForm.decode(bytes, limits: limits), files: [])
        case "multipart/form-data":
            guard let uploads else { throw CGIError.unsupportedMediaType("multipart/form-data on this route") }
            let parser = try MultipartParser(contentType: contentType, limits: limits, storage: uploads)
            var body = try body(from: source, limit: maxBodyBytes)
            return try parser.parse(&body)
        default:
            throw CGIError.unsupportedMediaType(contentType.essence)
        }
    }
}
