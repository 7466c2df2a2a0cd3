import CCmark
#if canImport(Glibc)
import Glibc
#endif

/// CommonMark to HTML through libcmark, in its safe mode: raw HTML in a content file becomes a
/// comment and `javascript:`-style links are dropped, so a content file can never inject script
/// into pages served under `default-src 'self'`.
enum Markdown {
    static func html(_ markdown: String) -> String {
        // Safe is libcmark's default since 0.29 (CMARK_OPT_SAFE is a no-op kept for old callers);
        // what matters is never passing CMARK_OPT_UNSAFE.
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        return markdown.withCString { text in
            guard let html = cmark_markdown_to_html(text, strlen(text), options) else { return "" }
            defer { free(html) }
            return String(cString: html)
        }
    }
}
