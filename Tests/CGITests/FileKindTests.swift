import CGI
import Testing

@Suite struct FileKindTests {
    @Test func recognisesEachSignature() {
        #expect(FileKind.sniff([0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34]) == .jpeg)
        #expect(FileKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]) == .png)
        #expect(FileKind.sniff(Array("%PDF-1.7\n%".utf8)) == .pdf)
        for brand in ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"] {
            let head: [UInt8] = [0x00, 0x00, 0x00, 0x18] + Array("ftyp\(brand)".utf8) + [0x00, 0x00, 0x00, 0x00]
            #expect(FileKind.sniff(head) == .heic, "brand \(brand)")
        }
    }

    @Test func refusesNearMissesAndOtherFormats() {
        #expect(FileKind.sniff([]) == nil)
        #expect(FileKind.sniff([0xFF, 0xD8]) == nil)
        #expect(FileKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A]) == nil)
        #expect(FileKind.sniff(Array("%PDF".utf8)) == nil)
        #expect(FileKind.sniff(Array(" %PDF-1.4".utf8)) == nil)
        #expect(FileKind.sniff(Array("GIF89a".utf8)) == nil)
        // An MP4 and an AVIF share the ftyp box but not the brand.
        #expect(FileKind.sniff([0, 0, 0, 0x18] + Array("ftypisom".utf8)) == nil)
        #expect(FileKind.sniff([0, 0, 0, 0x18] + Array("ftypavif".utf8)) == nil)
        #expect(FileKind.sniff([0, 0, 0, 0x18] + Array("ftyphei".utf8)) == nil)
        #expect(FileKind.sniff(Array("<html><body>".utf8)) == nil)
    }

    @Test func describesEachKind() {
        #expect(FileKind.allCases.map(\.mediaType) == ["image/jpeg", "image/png", "application/pdf", "image/heic"])
        #expect(FileKind.allCases.map(\.fileExtension) == ["jpg", "png", "pdf", "heic"])
    }
}
