import Foundation
import KaitoriCore

/// A case's printable document with the shop seal from `documents.seal_image` (the store adds the
/// signature and the ID check), as HTML or PDF. The CLI
/// (`kaitori docs estimate|contract CODE [--pdf]`) and the staff console's download call these.
public enum CaseDocumentFile {
    /// The document as self-contained HTML (`CaseStore.documentHTML` with the shop seal).
    /// - Throws: `StoreError` for an unknown case or one not ready for the document;
    ///   `PDFPrinter.Failure` when the seal image cannot be read.
    public static func html(_ document: CaseDocument, code: String, store: CaseStore, settings: Settings, site: String) throws -> String {
        try store.documentHTML(document, code: code, settings: settings, site: site, seal: try sealImage(settings: settings, site: site))
    }

    /// The document as an A4 PDF, printed by `printer`: what the console's download and
    /// `kaitori docs … --pdf` send.
    public static func pdf(_ document: CaseDocument, code: String, store: CaseStore, settings: Settings, site: String,
                           printer: PDFPrinter = PDFPrinter()) throws -> [UInt8] {
        try printer.pdf(html: try html(document, code: code, store: store, settings: settings, site: site))
    }

    /// The file name a download offers: `見積書-K7QX-3M9A.pdf`.
    public static func fileName(_ document: CaseDocument, code: String, pdf: Bool) -> String {
        "\(document.title)-\(code).\(pdf ? "pdf" : "html")"
    }

    /// The seal image's bytes, nil when none is set.
    /// - Throws: when the file is set but missing or not a PNG, JPEG or SVG.
    public static func sealImage(settings: Settings, site: String) throws -> [UInt8]? {
        let relative = settings.documents.sealImage
        guard !relative.isEmpty else { return nil }
        if let problem = sealProblem(settings: settings, site: site) { throw PDFPrinter.Failure(description: problem) }
        return FileManager.default.contents(atPath: site + "/" + relative).map { [UInt8]($0) }
    }

    /// What is wrong with `documents.seal_image`, for `kaitori check`; nil when it is fine or unset.
    public static func sealProblem(settings: Settings, site: String) -> String? {
        let relative = settings.documents.sealImage
        guard !relative.isEmpty else { return nil }
        let path = site + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else { return "cannot read \(relative) in the shop folder" }
        guard data.count <= 2 << 20 else { return "\(relative) is over 2 MB; a seal image needs far less" }
        guard CaseDocument.sealImageType([UInt8](data)) != nil else { return "\(relative) is not a PNG, JPEG or SVG image" }
        return nil
    }
}
