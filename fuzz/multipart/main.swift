// libFuzzer target for the streaming multipart parser. Built together with Sources/CGI as one
// module by build.sh, hence no `import CGI`.
//
// The first input byte picks a read size (1 to 16); the rest is a body with boundary
// `fuzzBoundary`. Each input is parsed twice, whole and in small reads through a small buffer:
// the results (or errors) must be identical, which checks the handling of boundaries, header
// terminators and limits at every read edge, not only the absence of crashes.

private let fuzzBoundary = "AaB03x"
private let limits = FormLimits(
    maxFields: 16, maxFieldBytes: 256, maxTotalBytes: 2048, maxFiles: 4, maxFileBytes: 1024, maxPartHeaderBytes: 256)

/// Serves bytes in reads of a fixed size.
private struct ChunkedSource: ByteSource {
    let bytes: [UInt8]
    let size: Int
    var position = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(size, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        for index in 0..<count { buffer[index] = bytes[position + index] }
        position += count
        return count
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let readSize = Int(data[0] % 16) + 1
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))

    let whole = outcome {
        try MultipartParser(boundary: fuzzBoundary, limits: limits, storage: .discard).parse(body)
    }
    let chunked = outcome {
        var source = ChunkedSource(bytes: body, size: readSize)
        return try MultipartParser(boundary: fuzzBoundary, limits: limits, storage: .discard, chunkSize: 8)
            .parse(&source)
    }
    precondition(whole == chunked, "read size \(readSize) changed the outcome: \(whole) vs \(chunked)")

    if case .success(let result) = whole {
        precondition(result.fields.count <= limits.maxFields, "more fields than the limit")
        precondition(result.fields.byteCount <= limits.maxTotalBytes, "more text than the limit")
        precondition(result.files.count <= limits.maxFiles, "more files than the limit")
        for file in result.files {
            precondition(file.size <= limits.maxFileBytes, "a file over its cap")
            precondition(file.head.count == min(file.size, UploadedFile.headLength), "head does not match size")
            precondition(file.path.isEmpty, "discard mode stored a file")
            precondition(!file.fileName.contains("/") && !file.fileName.contains("\\"), "unsanitized file name")
        }
    }
    return 0
}

private func outcome(_ parse: () throws -> MultipartResult) -> Result<MultipartResult, CGIError> {
    do {
        return .success(try parse())
    } catch let error as CGIError {
        switch error {
        case .malformed, .tooLarge: return .failure(error)
        default: fatalError("multipart parse threw \(error)")
        }
    } catch {
        fatalError("multipart parse threw a non-CGI error: \(error)")
    }
}
