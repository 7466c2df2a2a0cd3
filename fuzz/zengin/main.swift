// libFuzzer target for the Zengin decoder and kana converter, compiled together with the Zengin
// sources into one module (see build.sh), hence no import.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkDecode(bytes)
    checkConvert(bytes)
    return 0
}

/// Whatever decodes must encode again (with either separator) and decode to the same file.
private func checkDecode(_ bytes: [UInt8]) {
    guard let file = try? TransferFile.decode(bytes) else { return }
    for separator in [TransferFile.Separator.crlf, .none] {
        let encoded: [UInt8]
        do {
            encoded = try file.encode(separator: separator)
        } catch {
            fatalError("a decoded file does not encode: \(error)")
        }
        precondition(encoded.count == (file.transfers.count + 3) * (separator == .crlf ? 122 : 120))
        do {
            let again = try TransferFile.decode(encoded)
            precondition(again == file, "re-encoded file decodes differently")
        } catch {
            fatalError("a re-encoded file does not decode: \(error)")
        }
    }
}

/// Whatever the converter returns must fit and be accepted by the encoder as a payee name.
/// Names are short, so only the start of large inputs is used, which keeps the decoder's runs fast.
private func checkConvert(_ bytes: [UInt8]) {
    let text = String(decoding: bytes.prefix(256), as: UTF8.self)
    for kind in [ZenginKana.Kind.name, .bankName, .edi] {
        guard let converted = try? ZenginKana.convert(
            text, field: "fuzz", maxLength: 30, kind: kind, abbreviateLegalEntities: true)
        else { continue }
        precondition(converted.unicodeScalars.count <= 30, "converted text is too long")
        precondition(
            ZenginCharacterSet.firstRefused(in: converted, kind: kind) == nil,
            "converted text holds a refused character")
    }
}
