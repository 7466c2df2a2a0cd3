import CFastCGI
import CGI

/// A FastCGI request's `FCGI_STDIN` as a `ByteSource`, so the handler reads a FastCGI body exactly
/// as it reads a CGI one (`CGIRequest.body(from:limit:)` still stops at `CONTENT_LENGTH`).
struct FastCGIInput: ByteSource {
    let stream: UnsafeMutablePointer<FCGX_Stream>

    /// - Throws: `CGIError.io` when libfcgi reports a broken connection or a malformed record.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let wanted = Int32(clamping: buffer.count)
        let count = FCGX_GetStr(base.assumingMemoryBound(to: CChar.self), wanted, stream)
        let error = FCGX_GetError(stream)
        if error != 0 { throw CGIError.io("reading the FastCGI request body: \(FastCGIError.describe(error))") }
        return Int(max(count, 0))
    }
}

extension CGIResponse {
    /// Writes the serialized response to a request's `FCGI_STDOUT` stream (libfcgi frames it).
    ///
    /// - Throws: `CGIError.io` when the web server's connection is gone.
    func write(to stream: UnsafeMutablePointer<FCGX_Stream>) throws {
        let bytes = serialize()
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = Int32(clamping: raw.count - offset)
                let written = FCGX_PutStr(raw.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self), count, stream)
                guard written == count else {
                    throw CGIError.io("writing the FastCGI response: \(FastCGIError.describe(FCGX_GetError(stream)))")
                }
                offset += Int(count)
            }
        }
        guard FCGX_FFlush(stream) == 0 else {
            throw CGIError.io("writing the FastCGI response: \(FastCGIError.describe(FCGX_GetError(stream)))")
        }
    }
}

/// Request parameters (`FCGX_Request.envp`) as the variables `CGIHandler.respond` reads.
enum FastCGIParameters {
    /// The request's parameters; `KAITORI_*` variables the web server did not send come from the
    /// process environment (lighttpd's `bin-environment`, a systemd unit's `Environment=`), so a
    /// request can name its shop but never inherits anything else from the process.
    static func environment(_ envp: FCGX_ParamArray?, process: [String: String]) -> [String: String] {
        var variables: [String: String] = [:]
        if var entry = envp {
            while let pointer = entry.pointee {
                let text = String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
                if let equals = text.firstIndex(of: "=") {
                    let name = String(text[..<equals])
                    if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
                }
                entry += 1
            }
        }
        for (name, value) in process where name.hasPrefix("KAITORI_") && variables[name] == nil {
            variables[name] = value
        }
        return variables
    }
}

/// libfcgi's stream errors: positive values are `errno`, negative ones its own protocol errors.
enum FastCGIError {
    static func describe(_ code: Int32) -> String {
        switch code {
        case 0: return "no error reported"
        case FCGX_UNSUPPORTED_VERSION: return "unsupported FastCGI version"
        case FCGX_PROTOCOL_ERROR: return "FastCGI protocol error (malformed record or connection closed early)"
        case FCGX_PARAMS_ERROR: return "malformed FastCGI parameters"
        case FCGX_CALL_SEQ_ERROR: return "FastCGI call sequence error"
        case let errno where errno > 0: return String(cString: strerror(errno))
        default: return "FastCGI error \(code)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
