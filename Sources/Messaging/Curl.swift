import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// libcurl's one-time set-up, done before the first transfer (thread-safe: a Swift global
/// is initialised once).
private let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// One transfer over a libcurl easy handle: the network, TLS, certificate and host-name
/// verification, SMTP (with STARTTLS) and HTTP are libcurl's; this type only sets options,
/// feeds the upload, keeps the start of the answer and records which SMTP command was under
/// way, so errors name the stage the way the outbox reports them.
final class CurlTransfer {
    private let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var upload: [UInt8] = []
    private var uploadOffset = 0
    /// The first bytes of the answer body (HTTP), for error messages.
    private(set) var body: [UInt8] = []
    private let bodyLimit = 200
    /// The SMTP conversation as far as errors need it (never a credential).
    private(set) var transcript = SMTPTranscript()

    init() throws(DeliveryError) {
        guard curlGlobalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw .connectionLost(host: "-", stage: "start", reason: "libcurl could not be initialised")
        }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let me = Unmanaged.passUnretained(self).toOpaque()
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        set(CURLOPT_NOSIGNAL, 1)
        // Verification is never switched off (these are libcurl's defaults, stated so they stay).
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        set(CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2)
        set(CURLOPT_FOLLOWLOCATION, 0)
        kaitori_curl_set_read(handle) { buffer, size, count, me in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(me!).takeUnretainedValue()
            let n = min(size * count, transfer.upload.count - transfer.uploadOffset)
            guard n > 0, let buffer else { return 0 }
            transfer.upload.withUnsafeBytes { raw in
                UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + transfer.uploadOffset, byteCount: n)
            }
            transfer.uploadOffset += n
            return n
        }
        set(CURLOPT_READDATA, pointer: me)
        kaitori_curl_set_write(handle) { data, size, count, me in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(me!).takeUnretainedValue()
            let n = size * count
            let keep = min(n, transfer.bodyLimit - transfer.body.count)
            if keep > 0, let data {
                data.withMemoryRebound(to: UInt8.self, capacity: keep) { transfer.body += UnsafeBufferPointer(start: $0, count: keep) }
            }
            return n
        }
        set(CURLOPT_WRITEDATA, pointer: me)
        // The debug callback sees each command sent and each reply line received (libcurl only
        // calls it in verbose mode; nothing is printed).
        set(CURLOPT_VERBOSE, 1)
        kaitori_curl_set_debug(handle) { _, kind, data, size, me in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(me!).takeUnretainedValue()
            guard let data, kind == CURLINFO_HEADER_OUT || kind == CURLINFO_HEADER_IN else { return 0 }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
            if kind == CURLINFO_HEADER_OUT { transfer.transcript.sent(line) } else { transfer.transcript.received(line) }
            return 0
        }
        set(CURLOPT_DEBUGDATA, pointer: me)
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = kaitori_curl_set_long(handle, option, value)
    }

    /// libcurl copies strings it is given (since 7.17), so `value` need not outlive the call.
    func set(_ option: CURLoption, _ value: String) {
        _ = kaitori_curl_set_string(handle, option, value)
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) {
        _ = kaitori_curl_set_pointer(handle, option, pointer)
    }

    /// A list option (recipients, headers); the list lives as long as the transfer.
    func set(_ option: CURLoption, list values: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values { list = curl_slist_append(list, value) }
        guard let list else { return }
        lists.append(list)
        set(option, pointer: UnsafeMutableRawPointer(list))
    }

    /// The bytes uploaded (the SMTP message).
    func setUpload(_ bytes: [UInt8]) {
        upload = bytes
        uploadOffset = 0
        set(CURLOPT_UPLOAD, 1)
        set(CURLOPT_INFILESIZE_LARGE, bytes.count)
    }

    /// Connect and total timeouts. The connect timeout covers the name look-up (libcurl's
    /// resolver runs in its own thread, so a stuck DNS server is cut off too), the TCP connect
    /// and an implicit TLS handshake; a server that stalls for `timeout` seconds mid-transfer
    /// (less than a byte a second) is cut off too.
    func setTimeouts(connect timeout: Int, total: Int) {
        set(CURLOPT_CONNECTTIMEOUT, timeout)
        set(CURLOPT_TIMEOUT, total)
        set(CURLOPT_LOW_SPEED_LIMIT, 1)
        set(CURLOPT_LOW_SPEED_TIME, timeout)
    }

    /// Runs the transfer. - Returns: libcurl's result and its error text.
    func perform() -> (code: CURLcode, message: String) {
        let code = curl_easy_perform(handle)
        var message = String(cString: errorBuffer)
        if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
        return (code, message)
    }

    /// The last response code (HTTP status, or the last SMTP reply code).
    var responseCode: Int {
        var value = 0
        _ = kaitori_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &value)
        return value
    }

    /// The system's words for the last socket error ("Connection refused"), if there was one.
    var systemError: String? {
        var value = 0
        _ = kaitori_curl_get_long(handle, CURLINFO_OS_ERRNO, &value)
        return value == 0 ? nil : String(cString: strerror(Int32(value)))
    }

    /// Whether `code` is a TLS or certificate failure.
    static func isTLSFailure(_ code: CURLcode) -> Bool {
        [CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
         CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
         CURLE_USE_SSL_FAILED, CURLE_SSL_SHUTDOWN_FAILED].contains(code)
    }
}

/// Which SMTP command was under way and the last complete reply, from the lines libcurl
/// reports. Credentials never enter it: after `AUTH …` only the mechanism is kept, and the
/// lines answering the server's 334 challenges are not recorded at all.
struct SMTPTranscript {
    private(set) var stage = "greeting"
    private(set) var lastReply: SMTPReply?
    /// The first refusal (4xx or 5xx) and the command it answered: libcurl goes on to QUIT.
    private(set) var refusal: (stage: String, reply: SMTPReply)?
    private var pending: [String] = []

    mutating func sent(_ line: String) {
        if stage.hasPrefix("AUTH"), lastReply?.code == 334 { return }
        let words = line.split(whereSeparator: { $0.isWhitespace || $0 == ":" })
        guard let verb = words.first?.uppercased() else { return }
        switch verb {
        case "MAIL", "RCPT", "AUTH": stage = words.count > 1 ? verb + " " + words[1].uppercased() : verb
        default: stage = verb
        }
    }

    mutating func received(_ line: String) {
        var bytes = Array(line.utf8)
        while let last = bytes.last, last == 13 || last == 10 { bytes.removeLast() }
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else { return }
        pending.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
            let reply = SMTPReply(code: code, lines: pending)
            lastReply = reply
            pending = []
            if code >= 400, refusal == nil { refusal = (stage, reply) }
        }
    }
}
