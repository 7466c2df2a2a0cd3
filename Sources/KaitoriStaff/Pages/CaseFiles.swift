import Documents
import KaitoriCore

/// What the case page links to: the customer's uploads (ID images, signature), the printable
/// documents, and the item sheet.
enum CaseFiles {
    /// GET /cases/{code}/files/{id}: one upload of this case, never cached, shown inline with its
    /// stored content type. Another case's file id, or any unknown id, is 404.
    static func file(_ ctx: StaffContext) throws -> StaffResponse {
        let code = ctx.params["code"] ?? ""
        do {
            guard let id = Int64(ctx.params["id"] ?? "") else { throw StoreError.notFound("not a file id") }
            let record = try ctx.store.load(code: code)
            // ID images and signatures are sealed at rest: the console opens them with the shop's key.
            let keys = try KeyFiles.shopRing(settings: ctx.settings, site: ctx.site)
            let content = try ctx.store.readStoredFile(caseID: record.id, fileID: id, site: ctx.site, keys: keys)
            return .file(content.bytes, contentType: content.file.contentType, filename: nil, inline: true)
        } catch StoreError.notFound {
            return NotFoundPage.render(ctx, what: "このケースのファイル")
        }
    }

    /// GET /cases/{code}/estimate and /contract: the same documents as `kaitori docs` (with the shop
    /// seal), for printing.
    static func document(_ document: CaseDocument, _ ctx: StaffContext) throws -> StaffResponse {
        let code = ctx.params["code"] ?? ""
        do {
            return PrintableDocument.response(try CaseDocumentFile.html(document, code: code, store: ctx.store, settings: ctx.settings,
                                                                        site: ctx.site), ctx: ctx)
        } catch StoreError.notFound {
            return NotFoundPage.render(ctx, what: "ケース \(code)")
        } catch let error as StoreError {
            return try CaseDetailPage.render(ctx, code: code, flash: nil, error: error.description, tab: nil, status: error.consoleStatus)
        } catch let failure as PDFPrinter.Failure {
            // The shop seal image named in shop.yml cannot be used.
            return try CaseDetailPage.render(ctx, code: code, flash: nil, error: "shop.yml documents.seal_image: \(failure)", tab: nil, status: 500)
        }
    }

    /// GET /cases/{code}/items.csv: the item sheet, to edit and import back (商品をエクスポート).
    static func itemSheet(_ ctx: StaffContext) throws -> StaffResponse {
        let code = ctx.params["code"] ?? ""
        do {
            let (record, sheet) = try ctx.store.exportItems(code: code)
            return .download(Array(sheet.utf8), contentType: "text/csv; charset=utf-8", filename: "items-\(record.code).csv")
        } catch StoreError.notFound {
            return NotFoundPage.render(ctx, what: "ケース \(code)")
        }
    }
}

/// The documents are self-contained pages with their print styles in one `<style>` element (so a
/// saved file prints as is). The console's policy forbids inline styles, so the console serves
/// that element's text as its own stylesheet (`/assets/document.css`, `CaseDocument.stylesheet`)
/// and links it in its place, and wraps the body in `<main>` (a page of the console has one).
enum PrintableDocument {
    static func response(_ html: String, ctx: StaffContext) -> StaffResponse {
        var page = html
        if let style = CaseDocument.styleElementRange(in: page) {
            page.replaceSubrange(style, with: "<link rel=\"stylesheet\" href=\"\(h(ctx.link("/assets/document.css")))\">")
        }
        // In the browser the document is a page of the console: its content is the main landmark.
        if !page.contains("<main"), let body = page.firstRange(of: "<body>"), let end = page.firstRange(of: "</body>") {
            page.replaceSubrange(end, with: "</main>\n</body>")
            page.replaceSubrange(body, with: "<body>\n<main>")
        }
        return .html(page)
    }
}
