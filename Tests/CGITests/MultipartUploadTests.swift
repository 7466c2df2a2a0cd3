import CGI
import Testing

/// Files streamed to disk: content, names, modes, limits and clean-up.
@Suite struct MultipartUploadTests {
    private let boundary = "----geckoformboundary3f9a1c"

    private func isRandomName(_ name: String) -> Bool {
        name.utf8.count == 32 && name.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    @Test func streamsFilesToOwnerOnlyRandomlyNamedFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let front = jpegLikeBytes(200_000)
        let back: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x0D, count: 30)
        let body = multipartBody(boundary: boundary, [
            .field("id_type", "drivers_licence"),
            .file("id_front", fileName: "front.jpg", type: "image/jpeg", front),
            .file("id_back", fileName: "back.png", type: "image/png", back),
        ])
        let parser = try MultipartParser(boundary: boundary, storage: .directory(directory.path))
        var source = FixedChunkSource(body, size: 10_000)
        let result = try parser.parse(&source)

        #expect(result.fields == ["id_type": "drivers_licence"])
        #expect(result.files.count == 2)
        let stored = directory.fileNames()
        #expect(stored.count == 2)
        #expect(stored.allSatisfy(isRandomName))

        let frontFile = try #require(result.file("id_front"))
        #expect(frontFile.path.hasPrefix(directory.path + "/"))
        #expect(try contentsOfFile(frontFile.path) == front)
        #expect(frontFile.size == front.count)
        #expect(frontFile.head == Array(front.prefix(16)))
        #expect(frontFile.kind == .jpeg)
        #expect(frontFile.fileName == "front.jpg")
        #expect(frontFile.declaredContentType == "image/jpeg")
        #expect(permissions(of: frontFile.path) == 0o600)

        let backFile = try #require(result.file("id_back"))
        #expect(try contentsOfFile(backFile.path) == back)
        #expect(backFile.head == Array(back.prefix(16)))
        #expect(backFile.kind == .png)
        #expect(permissions(of: backFile.path) == 0o600)
        #expect(backFile.path != frontFile.path)

        result.removeFiles()
        #expect(directory.fileNames().isEmpty)
    }

    @Test func boundarySplitAcrossTinyReadsStillGivesExactFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Content full of CRLFs and dashes, so partial delimiters straddle many read edges.
        let content = (0..<3000).map { index -> UInt8 in
            [0x0D, 0x0A, UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "x")][index % 5]
        }
        let body = multipartBody(boundary: boundary, [
            .file("a", fileName: "a.bin", content), .file("b", fileName: "b.bin", Array(content.reversed())),
        ])
        let parser = try MultipartParser(boundary: boundary, storage: .directory(directory.path), chunkSize: 16)
        for seed in 1...8 {
            var source = DribbleSource(body, seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
            let result = try parser.parse(&source)
            #expect(source.reads > body.count / 7)
            #expect(try contentsOfFile(try #require(result.file("a")).path) == content)
            #expect(try contentsOfFile(try #require(result.file("b")).path) == Array(content.reversed()))
            result.removeFiles()
        }
        #expect(directory.fileNames().isEmpty)
    }

    @Test func oversizedFileIsRefusedAndEveryFileDeleted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let body = multipartBody(boundary: boundary, [
            .file("id_front", fileName: "ok.jpg", jpegLikeBytes(500)),
            .file("id_back", fileName: "big.jpg", jpegLikeBytes(5000)),
        ])
        let parser = try MultipartParser(
            boundary: boundary, limits: FormLimits(maxFileBytes: 1000), storage: .directory(directory.path))
        var source = DribbleSource(body)
        #expect(throws: CGIError.tooLarge) { try parser.parse(&source) }
        #expect(directory.fileNames() == [])
    }

    @Test func malformedBodyAfterAFileDeletesIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let body = multipartBody(boundary: boundary, [.file("id_front", fileName: "ok.jpg", jpegLikeBytes(500))], close: false)
        let parser = try MultipartParser(boundary: boundary, storage: .directory(directory.path))
        #expect(throws: CGIError.malformed("part 2 (\"late\"): multipart body ended before the closing boundary")) {
            try parser.parse(body + Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"late\"\r\n\r\ncut".utf8))
        }
        #expect(directory.fileNames() == [])
    }

    @Test func partialFileIsDeletedWhenTheBodyIsCut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let full = multipartBody(boundary: boundary, [.file("id_front", fileName: "a.jpg", jpegLikeBytes(100_000))])
        let cut = Array(full.prefix(60_000))
        let parser = try MultipartParser(boundary: boundary, storage: .directory(directory.path), chunkSize: 4096)
        var source = FixedChunkSource(cut, size: 4096)
        #expect(throws: CGIError.malformed("part 1 (\"id_front\"): multipart body ended before the closing boundary")) {
            try parser.parse(&source)
        }
        #expect(directory.fileNames() == [])
    }

    @Test func shortRequestBodyIsMalformedAndLeavesNoFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let body = multipartBody(boundary: boundary, [.file("f", fileName: "a.pdf", Array("%PDF-1.4 hello".utf8))])
        let request = try CGIRequest(environment: [
            "REQUEST_METHOD": "POST", "CONTENT_TYPE": "multipart/form-data; boundary=\(boundary)",
            "CONTENT_LENGTH": String(body.count + 10),
        ])
        #expect(throws: CGIError.malformed("request body ended after \(body.count) of \(body.count + 10) bytes (CONTENT_LENGTH)")) {
            try request.readForm(from: ByteArraySource(body), maxBodyBytes: 10_000, uploads: .directory(directory.path))
        }
        #expect(directory.fileNames() == [])
    }

    @Test func emptyFileInputCreatesNoFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let body = multipartBody(boundary: boundary, [
            .file("id_front", fileName: "", []), .file("id_back", fileName: "", []), .field("agree", "on"),
        ])
        let result = try MultipartParser(boundary: boundary, storage: .directory(directory.path)).parse(body)
        #expect(result.files.isEmpty)
        #expect(result.fields == ["agree": "on"])
        #expect(directory.fileNames() == [])
    }

    @Test func namedEmptyFileIsStoredEmpty() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let body = multipartBody(boundary: boundary, [.file("id_front", fileName: "empty.jpg", [])])
        let result = try MultipartParser(boundary: boundary, storage: .directory(directory.path)).parse(body)
        let file = try #require(result.files.first)
        #expect(file.size == 0)
        #expect(try contentsOfFile(file.path) == [])
        #expect(permissions(of: file.path) == 0o600)
    }

    @Test func missingUploadDirectoryIsAnIOError() throws {
        let body = multipartBody(boundary: boundary, [.file("f", fileName: "a.jpg", [1, 2, 3])])
        let parser = try MultipartParser(boundary: boundary, storage: .directory("/nonexistent/cgi-tests"))
        #expect(throws: CGIError.io("creating an upload file in /nonexistent/cgi-tests: No such file or directory (errno 2)")) {
            try parser.parse(body)
        }
    }

    @Test func namesDifferAcrossManyFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let parts = (0..<8).map { TestPart.file("f\($0)", fileName: "x.jpg", [UInt8($0)]) }
        let result = try MultipartParser(boundary: boundary, storage: .directory(directory.path + "/"))
            .parse(multipartBody(boundary: boundary, parts))
        #expect(Set(result.files.map(\.path)).count == 8)
        #expect(directory.fileNames().count == 8)
        #expect(result.files.allSatisfy { !$0.path.contains("//") })
        for (index, file) in result.files.enumerated() {
            #expect(try contentsOfFile(file.path) == [UInt8(index)])
        }
    }
}
