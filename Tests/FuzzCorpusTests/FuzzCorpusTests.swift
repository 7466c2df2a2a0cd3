import Foundation
import KaitoriCore
@testable import CGI
import Testing
@testable import Zengin

/// Replays the committed fuzz corpora (fuzz/NAME/corpus, grown by `reliability/run.sh`'s fuzzing
/// and minimized with libFuzzer's -merge) through the same parsers and the same checks as the
/// libFuzzer targets in fuzz/NAME/main.swift, so every input that once found new code paths keeps
/// being run by `swift test`, without a fuzzer or a sanitizer. A crash here fails the test run.
@Suite struct FuzzCorpusTests {
    static let fuzzFolder: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fuzz").path
    }()

    static func corpus(_ name: String, extra: [String] = []) throws -> [(String, [UInt8])] {
        var inputs: [(String, [UInt8])] = []
        for folder in [fuzzFolder + "/\(name)/corpus"] + extra {
            for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
                inputs.append((file, Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))))
            }
        }
        return inputs
    }

    @Test func urlencodedAndMediaTypeCorpus() throws {
        let inputs = try Self.corpus("urlencoded")
        #expect(inputs.count >= 3)
        let limits = FormLimits(maxFields: 64, maxFieldBytes: 512, maxTotalBytes: 2048)
        for (name, bytes) in inputs {
            do {
                let fields = try URLEncodedForm.decode(bytes, limits: limits)
                #expect(fields.count <= limits.maxFields && fields.byteCount <= limits.maxTotalBytes, "\(name)")
                #expect(fields.allSatisfy { $0.value.utf8.count <= limits.maxFieldBytes }, "\(name)")
                let again = try URLEncodedForm.decode(Array(URLEncodedForm.encode(fields).utf8), limits: limits)
                #expect(again == fields, "\(name): the encode/decode round trip changed the fields")
            } catch let error as CGIError {
                switch error {
                case .malformed, .tooLarge: break
                default: Issue.record("\(name): decode threw \(error)")
                }
            }
            if let type = try? MediaType(parsing: String(decoding: bytes, as: UTF8.self)) {
                #expect((try? MediaType(parsing: type.description)) == type, "\(name): \(type.description)")
            }
        }
    }

    /// Every body is parsed whole and in small reads (the first byte picks the read size): the
    /// outcomes must be identical and within the limits.
    @Test func multipartCorpus() throws {
        let inputs = try Self.corpus("multipart")
        #expect(inputs.count >= 2)
        let limits = FormLimits(maxFields: 16, maxFieldBytes: 256, maxTotalBytes: 2048, maxFiles: 4, maxFileBytes: 1024,
                                maxPartHeaderBytes: 256)
        for (name, input) in inputs where !input.isEmpty {
            let readSize = Int(input[0] % 16) + 1
            let body = Array(input.dropFirst())
            let whole = Self.outcome { try MultipartParser(boundary: "AaB03x", limits: limits, storage: .discard).parse(body) }
            let chunked = Self.outcome {
                var source = ChunkedSource(bytes: body, size: readSize)
                return try MultipartParser(boundary: "AaB03x", limits: limits, storage: .discard, chunkSize: 8).parse(&source)
            }
            #expect(whole == chunked, "\(name): read size \(readSize) changed the outcome")
            if case .success(let result) = whole {
                #expect(result.fields.count <= limits.maxFields && result.files.count <= limits.maxFiles, "\(name)")
                #expect(result.files.allSatisfy { $0.size <= limits.maxFileBytes && $0.path.isEmpty }, "\(name)")
            }
        }
    }

    /// Zengin files (the corpus and the golden test files): whatever decodes re-encodes with either
    /// separator and decodes to the same file; converted kana fits and is accepted.
    @Test func zenginCorpus() throws {
        let golden = URL(fileURLWithPath: Self.fuzzFolder).deletingLastPathComponent()
            .appendingPathComponent("Tests/ZenginTests/Golden").path
        let inputs = try Self.corpus("zengin", extra: [golden])
        #expect(inputs.count >= 3)
        var decoded = 0
        for (name, bytes) in inputs {
            if let file = try? TransferFile.decode(bytes) {
                decoded += 1
                for separator in [TransferFile.Separator.crlf, .none] {
                    let encoded = try file.encode(separator: separator)
                    #expect(try TransferFile.decode(encoded) == file, "\(name): re-encoded file decodes differently")
                }
            }
            let text = String(decoding: bytes.prefix(256), as: UTF8.self)
            for kind in [ZenginKana.Kind.name, .bankName, .edi] {
                guard let converted = try? ZenginKana.convert(text, field: "fuzz", maxLength: 30, kind: kind,
                                                              abbreviateLegalEntities: true) else { continue }
                #expect(converted.unicodeScalars.count <= 30, "\(name)")
                #expect(ZenginCharacterSet.firstRefused(in: converted, kind: kind) == nil, "\(name)")
            }
        }
        #expect(decoded >= 1, "not one corpus file decodes: the corpus no longer reaches the decoder")
    }

    /// The customer-text rule (fuzz/customer-text): what `CustomerInput` accepts is exactly what
    /// its statement allows, `problems` agrees with it and names the field, and the terminal
    /// escaper always yields one acceptable line and leaves acceptable text alone.
    @Test func customerTextCorpus() throws {
        let inputs = try Self.corpus("customer-text")
        #expect(inputs.count >= 3)
        for (name, bytes) in inputs {
            let text = String(decoding: bytes, as: UTF8.self)
            for multiline in [false, true] {
                let accepted = CustomerInput.isAcceptable(text, multiline: multiline)
                let forbidden = text.unicodeScalars.contains { s in
                    let v = s.value
                    return (v < 0x20 && !(multiline && (v == 0x0A || v == 0x0D))) || (0x7F...0x9F).contains(v)
                        || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
                        || v == 0x061C || v == 0x2028 || v == 0x2029 || v == 0xFFFD || v == 0xFFFE || v == 0xFFFF
                        || (0xFDD0...0xFDEF).contains(v)
                }
                #expect(accepted == !forbidden, "\(name) (multiline \(multiline))")
                let problems = CustomerInput.problems([(name: multiline ? "notes" : "name", value: text)])
                #expect(problems.isEmpty == accepted, "\(name)")
                if let problem = problems.first {
                    #expect(problem.message == CustomerText.invalidCharacters(multiline ? "備考" : "お名前"), "\(name)")
                }
            }
            let escaped = TerminalText.escape(text)
            let repaired = String(String.UnicodeScalarView(escaped.unicodeScalars.map { $0 == "\u{FFFD}" ? "?" : $0 }))
            #expect(CustomerInput.isAcceptable(repaired, multiline: false), "\(name): escape left a control")
            if CustomerInput.isAcceptable(text, multiline: false) { #expect(escaped == text, "\(name)") }
        }
    }

    static func outcome(_ parse: () throws -> MultipartResult) -> Result<MultipartResult, CGIError> {
        do {
            return .success(try parse())
        } catch let error as CGIError {
            return .failure(error)
        } catch {
            Issue.record("multipart parse threw a non-CGI error: \(error)")
            return .failure(.malformed("\(error)"))
        }
    }
}

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
