#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of `MultipartParser` over one body: the state machine from preamble to epilogue.
///
/// The body is treated as if it began with a line break, so that the first boundary line is
/// found by the same search for `CRLF--boundary` as all the others.
struct MultipartSession<Source: ByteSource> {
    private static var headerEnd: [UInt8] { [ASCII.carriageReturn, ASCII.lineFeed, ASCII.carriageReturn, ASCII.lineFeed] }
    /// Spaces and tabs tolerated after a boundary (RFC 2046 transport padding).
    private static var maxPadding: Int { 64 }

    /// A file part being received.
    private struct FileInProgress {
        let fieldName: String
        let fileName: String
        let declaredContentType: String?
        var writer: UploadWriter?
        var size = 0
        var head: [UInt8] = []
    }

    private(set) var source: Source
    private let boundary: String
    private let delimiter: [UInt8]
    private let limits: FormLimits
    private let storage: UploadStorage
    private let buffer: ReadBuffer

    private var fields = FormFields()
    private var files: [UploadedFile] = []
    /// Every file created so far, written or not, so that a failure removes them all.
    private var createdPaths: [String] = []
    private var currentFile: FileInProgress?
    private var partNumber = 0
    private var filePartCount = 0

    init(source: Source, boundary: String, limits: FormLimits, storage: UploadStorage, chunkSize: Int) {
        self.source = source
        self.boundary = boundary
        delimiter = [ASCII.carriageReturn, ASCII.lineFeed, ASCII.hyphen, ASCII.hyphen] + Array(boundary.utf8)
        self.limits = limits
        self.storage = storage
        // The most the states below keep while reading on: a header block and its terminator,
        // or less than one delimiter.
        buffer = ReadBuffer(chunkSize: chunkSize, reserve: limits.maxPartHeaderBytes + delimiter.count + 16)
    }

    mutating func run() throws -> MultipartResult {
        buffer.append([ASCII.carriageReturn, ASCII.lineFeed])
        try skipPreamble()
        while try readBoundaryLineEnd() {
            partNumber += 1
            let headers = try readHeaders()
            try readBody(of: headers)
        }
        try drainEpilogue()
        return MultipartResult(fields: fields, files: files)
    }

    /// Closes and deletes every file this run created.
    mutating func removeFiles() {
        currentFile?.writer?.abandon()
        currentFile = nil
        for path in createdPaths { unlink(path) }
        createdPaths = []
        files = []
    }

    /// Reads more of the body; `false` at its end.
    private mutating func fill() throws -> Bool {
        try buffer.fill(from: &source)
    }

    /// Reads until at least `count` bytes are buffered.
    private mutating func require(_ count: Int, inside place: String) throws {
        while buffer.count < count {
            guard try fill() else { throw CGIError.malformed("multipart body ended inside \(place)") }
        }
    }

    private mutating func skipPreamble() throws {
        while true {
            if let offset = buffer.firstOffset(of: delimiter, from: 0) {
                buffer.consume(offset + delimiter.count)
                return
            }
            buffer.consume(max(0, buffer.count - (delimiter.count - 1)))
            guard try fill() else { throw CGIError.malformed("multipart body has no boundary \"\(boundary)\"") }
        }
    }

    /// Reads what follows a delimiter: `--` closes the body, otherwise optional padding and the
    /// line break, which is left in the buffer for `readHeaders`.
    ///
    /// - Returns: `false` after the close delimiter.
    private mutating func readBoundaryLineEnd() throws -> Bool {
        let place = partNumber == 0 ? "the first boundary" : "the boundary after part \(partNumber)"
        try require(2, inside: place)
        if buffer[0] == ASCII.hyphen, buffer[1] == ASCII.hyphen {
            buffer.consume(2)
            return false
        }
        var padding = 0
        while true {
            try require(1, inside: place)
            guard buffer[0] == ASCII.space || buffer[0] == ASCII.tab else { break }
            padding += 1
            guard padding <= Self.maxPadding else {
                throw CGIError.malformed("\(place) has more than \(Self.maxPadding) bytes of padding")
            }
            buffer.consume(1)
        }
        try require(2, inside: place)
        guard buffer[0] == ASCII.carriageReturn, buffer[1] == ASCII.lineFeed else {
            throw CGIError.malformed("\(place) is not followed by CRLF")
        }
        return true
    }

    /// Reads the header block, which starts at the boundary line's CRLF and ends at the first
    /// CRLFCRLF (at once, for a part without headers).
    private mutating func readHeaders() throws -> PartHeaders {
        // Offsets count the boundary line's CRLF; the limit applies to the block after it.
        let limit = limits.maxPartHeaderBytes + 2
        var searchFrom = 0
        while true {
            if let offset = buffer.firstOffset(of: Self.headerEnd, from: searchFrom) {
                guard offset <= limit else { throw CGIError.tooLarge }
                let block = offset == 0 ? [] : Array(buffer.bytes(2..<offset))
                buffer.consume(offset + Self.headerEnd.count)
                return try PartHeaders(parsing: block, part: partNumber)
            }
            // No terminator can start at or before `limit` any more: refuse without reading on,
            // and the same way whatever the read sizes were.
            guard buffer.count <= limit + Self.headerEnd.count - 1 else { throw CGIError.tooLarge }
            searchFrom = max(0, buffer.count - (Self.headerEnd.count - 1))
            guard try fill() else {
                throw CGIError.malformed("part \(partNumber): multipart body ended inside the headers")
            }
        }
    }

    /// Streams a part's content up to the next delimiter into a field or a file.
    private mutating func readBody(of headers: PartHeaders) throws {
        var text: [UInt8] = []
        if let fileName = headers.fileName {
            filePartCount += 1
            guard filePartCount <= limits.maxFiles else { throw CGIError.tooLarge }
            currentFile = FileInProgress(
                fieldName: headers.name, fileName: fileName, declaredContentType: headers.contentType)
        } else {
            guard fields.count < limits.maxFields else { throw CGIError.tooLarge }
        }

        while true {
            let found = buffer.firstOffset(of: delimiter, from: 0)
            // Without a match, the last delimiter-length-minus-one bytes may be the start of one.
            let ready = found ?? max(0, buffer.count - (delimiter.count - 1))
            if ready > 0 {
                let bytes = buffer.bytes(0..<ready)
                if headers.isFile {
                    try receiveFileBytes(bytes)
                } else {
                    guard text.count + ready <= limits.maxFieldBytes else { throw CGIError.tooLarge }
                    text.append(contentsOf: bytes)
                }
                buffer.consume(ready)
            }
            if found != nil {
                buffer.consume(delimiter.count)
                break
            }
            guard try fill() else {
                throw CGIError.malformed(
                    "part \(partNumber) (\"\(headers.name)\"): multipart body ended before the closing boundary")
            }
        }

        if headers.isFile {
            try finishFile()
        } else {
            guard let value = decodeUTF8(text) else {
                throw CGIError.malformed("part \(partNumber): value of \"\(headers.name)\" is not UTF-8")
            }
            try fields.append(name: headers.name, value: value, limits: limits)
        }
    }

    private mutating func receiveFileBytes(_ bytes: UnsafeRawBufferPointer) throws {
        guard var file = currentFile else { return }
        guard file.size + bytes.count <= limits.maxFileBytes else { throw CGIError.tooLarge }
        if file.head.count < UploadedFile.headLength {
            file.head.append(contentsOf: bytes.prefix(UploadedFile.headLength - file.head.count))
        }
        file.size += bytes.count
        currentFile = file
        try createFileIfNeeded()
        try currentFile?.writer?.write(bytes)
    }

    /// Creates the file on first need, so that a skipped empty input never touches the disk.
    private mutating func createFileIfNeeded() throws {
        guard case .directory(let directory) = storage, currentFile?.writer == nil else { return }
        let writer = try UploadWriter.create(in: directory)
        createdPaths.append(writer.path)
        currentFile?.writer = writer
    }

    private mutating func finishFile() throws {
        guard let file = currentFile else { return }
        // What a browser sends for a file input left empty.
        if file.fileName.isEmpty, file.size == 0 {
            currentFile = nil
            return
        }
        try createFileIfNeeded()
        try currentFile?.writer?.close()
        let path = currentFile?.writer?.path ?? ""
        currentFile = nil
        files.append(UploadedFile(
            fieldName: file.fieldName,
            fileName: UploadedFile.sanitizedFileName(file.fileName),
            declaredContentType: file.declaredContentType,
            path: path,
            size: file.size,
            head: file.head))
    }

    /// Reads the epilogue to the end of the body, so the web server is never left writing a body
    /// nobody reads; `RequestBody` bounds it by `CONTENT_LENGTH`.
    private mutating func drainEpilogue() throws {
        buffer.consume(buffer.count)
        while try buffer.fill(from: &source) {
            buffer.consume(buffer.count)
        }
    }
}
