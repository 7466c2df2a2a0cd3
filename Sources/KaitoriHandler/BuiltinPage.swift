import CGI
import KaitoriCore
import Mustache

/// A minimal page that needs no template, for when the shop's templates are missing or broken.
enum BuiltinPage {
    /// 503 for a shop whose site was never built (no `var/site.json`) or cannot be loaded.
    static var siteNotReady: CGIResponse {
        response(status: 503, title: CustomerText.siteNotReadyTitle, messages: [CustomerText.siteNotReady])
    }

    static func response(status: Int, title: String, messages: [String]) -> CGIResponse {
        let paragraphs = messages.map { "<p>\(escaped($0))</p>" }.joined(separator: "\n")
        let page = """
            <!DOCTYPE html>
            <html lang="ja">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>\(escaped(title))</title>
            </head>
            <body>
            <h1>\(escaped(title))</h1>
            \(paragraphs)
            <p><a href="/">\(escaped(CustomerText.backToTop))</a></p>
            </body>
            </html>

            """
        return .html(status: status, body: page)
    }

    private static func escaped(_ text: String) -> String { MustacheValue.htmlEscaped(text) }
}
