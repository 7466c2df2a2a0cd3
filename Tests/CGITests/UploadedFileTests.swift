import CGI
import Testing

@Suite struct UploadedFileTests {
    @Test(arguments: [
        ("photo.jpg", "photo.jpg"),
        ("C:\\Users\\山田\\免許証.jpg", "免許証.jpg"),
        ("../../etc/passwd", "passwd"),
        ("dir/", "dir"),
        ("..", ""),
        (".", ""),
        ("", ""),
        ("  spaced name.png  ", "spaced name.png"),
        ("tab\there\u{0}.pdf", "tabhere.pdf"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("a\u{2066}b\u{2069}\u{200F}c\u{85}", "abc"),
    ])
    func sanitizesClientFileNames(raw: String, expected: String) {
        #expect(UploadedFile.sanitizedFileName(raw) == expected)
    }

    @Test func capsLongNamesAtACharacterBoundary() {
        let name = UploadedFile.sanitizedFileName(String(repeating: "あ", count: 100))
        #expect(name.utf8.count == 255)
        #expect(name == String(repeating: "あ", count: 85))
        #expect(UploadedFile.sanitizedFileName(String(repeating: "a", count: 254) + "ああ").utf8.count == 254)
    }
}
