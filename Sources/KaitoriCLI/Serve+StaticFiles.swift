import Foundation

extension Kaitori.Serve {
    /// `public/` served the way the shop's real web server should: files with their types,
    /// `index.html` for folders, no listings, nothing outside the folder and no hidden files.
    struct StaticFiles {
        /// `public/`, symlinks resolved.
        let root: String

        init(root: String) {
            self.root = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        }

        static let contentTypes: [String: String] = [
            "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
            "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
            "json": "application/json", "txt": "text/plain; charset=utf-8", "xml": "application/xml",
            "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
            "gif": "image/gif", "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon",
            "woff": "font/woff", "woff2": "font/woff2", "pdf": "application/pdf",
            "webmanifest": "application/manifest+json",
        ]

        func response(method: String, path: String, query: String) -> HTTPResponse {
            guard method == "GET" || method == "HEAD" else {
                var refusal = HTTPResponse.page(405, "このアドレスには送信できません。")
                refusal.headers.append(("Allow", "GET, HEAD"))
                return refusal
            }
            guard let decoded = path.removingPercentEncoding, !decoded.contains("\0") else {
                return .page(400, "アドレスの形式が正しくありません。")
            }
            let segments = decoded.split(separator: "/")
            if segments.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") }) {
                return .page(400, "このアドレスは表示できません。")
            }
            // Hidden files (`.gitkeep`, an editor's leftovers) are never part of the site.
            if segments.contains(where: { $0.hasPrefix(".") }) { return notFound() }

            let file = ([root] + segments.map(String.init)).joined(separator: "/")
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else { return notFound() }
            if isFolder.boolValue {
                guard path.hasSuffix("/") else {
                    // `/apply` → `/apply/`, so the page's relative links resolve as they will in production.
                    return HTTPResponse(status: 301, headers: [("Location", path + "/" + (query.isEmpty ? "" : "?" + query))])
                }
                return serve(file + "/index.html") ?? notFound()
            }
            return serve(file) ?? notFound()
        }

        private func serve(_ file: String) -> HTTPResponse? {
            // A symlink may not lead out of `public/`.
            let real = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
            guard real.hasPrefix(root + "/"), let data = FileManager.default.contents(atPath: real) else { return nil }
            let ext = (real as NSString).pathExtension.lowercased()
            return HTTPResponse(status: 200, headers: [
                ("Content-Type", Self.contentTypes[ext] ?? "application/octet-stream"),
                ("Cache-Control", "no-cache"),
                ("X-Content-Type-Options", "nosniff"),
            ], body: Array(data))
        }

        private func notFound() -> HTTPResponse {
            if let page = serve(root + "/404.html") {
                return HTTPResponse(status: 404, headers: page.headers, body: page.body)
            }
            return .page(404, "お探しのページは見つかりませんでした。")
        }
    }
}
