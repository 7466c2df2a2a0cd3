import KaitoriCore
/// Builds one header field folded to lines of at most 78 characters (RFC 5322 2.1.1), with
/// non-ASCII text as RFC 2047 encoded-words (`=?UTF-8?B?…?=`).
///
/// Text is cut only between Unicode scalars, so every encoded-word holds complete UTF-8
/// sequences and decodes on its own (RFC 2047 section 5 requires it).
struct HeaderField {
    static let maxLine = 78
    /// RFC 2047 section 2: an encoded-word is at most 75 characters.
    static let maxEncodedWord = 75
    private static let prefix = "=?UTF-8?B?"
    private static let suffix = "?="

    private(set) var lines: [String]

    init(name: String) { lines = [name + ":"] }

    /// Characters still free on the current line after the space that separates the next token.
    private var room: Int { HeaderField.maxLine - lines[lines.count - 1].count - 1 }

    /// Adds a token that must stay whole; it starts a new line when it does not fit on this one
    /// (a token longer than a line gets a line of its own, the only way to keep it intact).
    mutating func append(token: String) {
        if token.count <= room {
            lines[lines.count - 1] += " " + token
        } else {
            lines.append(" " + token)
        }
    }

    /// Adds plain ASCII text word by word (single spaces only, so unfolding restores it).
    mutating func append(words text: String) {
        for word in text.split(separator: " ") { append(token: String(word)) }
    }

    /// Adds `text` as encoded-words, each as long as the line allows.
    mutating func append(encoded text: String) {
        var scalars = Substring(text).unicodeScalars[...]
        while !scalars.isEmpty {
            // A word holding one 4-byte scalar is 20 characters (8 of base64, 12 of wrapping):
            // with less room left, start a new line.
            if room < 20 { lines.append("") }
            let width = min(room, HeaderField.maxEncodedWord)
            let maxBytes = (width - HeaderField.prefix.count - HeaderField.suffix.count) / 4 * 3
            var chunk: [UInt8] = []
            while let scalar = scalars.first {
                let utf8 = Array(String(scalar).utf8)
                if chunk.count + utf8.count > maxBytes { break }
                chunk += utf8
                scalars.removeFirst()
            }
            lines[lines.count - 1] += " " + HeaderField.prefix + Base64.encode(chunk) + HeaderField.suffix
        }
    }

    /// Adds `text` as plain words when it is printable ASCII that reads back the same after
    /// unfolding, else as encoded-words.
    mutating func append(text: String) {
        let plain = text.unicodeScalars.allSatisfy { $0.value >= 0x21 && $0.value <= 0x7E || $0 == " " }
            && !text.contains("=?") && !text.contains("  ") && !text.hasPrefix(" ") && !text.hasSuffix(" ")
            && text.split(separator: " ").allSatisfy { $0.count <= HeaderField.maxLine - 1 }
        if plain { append(words: text) } else { append(encoded: text) }
    }
}
