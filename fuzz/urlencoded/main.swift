// libFuzzer target for the request-text parsers: the urlencoded form decoder (bodies and query
// strings) and the media type parser (CONTENT_TYPE). Built together with Sources/CGI as one
// module by build.sh, hence no `import CGI`.

private let limits = FormLimits(maxFields: 64, maxFieldBytes: 512, maxTotalBytes: 2048)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkURLEncoded(bytes)
    checkMediaType(bytes)
    return 0
}

/// Whatever decodes must respect the limits and survive a round trip through `encode`.
private func checkURLEncoded(_ bytes: [UInt8]) {
    let fields: FormFields
    do {
        fields = try URLEncodedForm.decode(bytes, limits: limits)
    } catch let error as CGIError {
        switch error {
        case .malformed, .tooLarge: return
        default: fatalError("urlencoded decode threw \(error)")
        }
    } catch {
        fatalError("urlencoded decode threw a non-CGI error: \(error)")
    }
    precondition(fields.count <= limits.maxFields, "more fields than the limit")
    precondition(fields.byteCount <= limits.maxTotalBytes, "more bytes than the limit")
    precondition(fields.allSatisfy { $0.value.utf8.count <= limits.maxFieldBytes }, "a field over its cap")
    let encoded = URLEncodedForm.encode(fields)
    guard let again = try? URLEncodedForm.decode(Array(encoded.utf8), limits: limits) else {
        fatalError("encode produced text decode refuses: \(encoded)")
    }
    precondition(again == fields, "round trip changed the fields: \(encoded)")
}

/// A media type that parses must print as text that parses back to it.
private func checkMediaType(_ bytes: [UInt8]) {
    // CONTENT_TYPE reaches the handler as a String; invalid UTF-8 would have been repaired.
    let text = String(decoding: bytes, as: UTF8.self)
    guard let type = try? MediaType(parsing: text) else { return }
    guard let again = try? MediaType(parsing: type.description) else {
        fatalError("description does not parse: \(type.description)")
    }
    precondition(again == type, "description changed the type: \(type.description)")
}
