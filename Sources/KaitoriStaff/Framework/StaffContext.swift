import KaitoriCore
import Mustache

/// Everything a console page needs for one request, after the framework has checked the session,
/// the role and (for posts) the CSRF token.
struct StaffContext {
    let site: String
    let settings: Settings
    /// The case store (every change through it regenerates the case's customer pages).
    let store: CaseStore
    /// Who is logged in; every step is recorded under this name (`actor`).
    let user: StaffUser
    /// This session's CSRF token, for `csrfField` in every form.
    let csrfToken: String
    /// Seconds since 1970 for this request.
    let now: Int64
    /// The `{name}` segments of the route's pattern.
    let params: [String: String]
    /// The decoded query string, every value of each name in order.
    let query: [String: [String]]
    /// The posted fields (urlencoded or multipart), every value of each name in order;
    /// `csrf_token` included.
    let form: [String: [String]]
    /// The posted files, by field name (the first file of each field).
    let files: [String: UploadedFormFile]
    /// `SCRIPT_NAME`, where the web server mounted the console (`/staff`).
    let scriptName: String

    var actor: Actor { .staff(user.name) }

    /// A console path as the browser must request it: `link("/cases/K7QX-3M9A")` is
    /// `/staff/cases/K7QX-3M9A` when the console is mounted at `/staff`.
    func link(_ path: String) -> String {
        StaffContext.link(path, scriptName: scriptName)
    }

    static func link(_ path: String, scriptName: String) -> String {
        var base = scriptName
        while base.hasSuffix("/") { base.removeLast() }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// `<input type="hidden" name="csrf_token" value="…">`, for every form that posts.
    var csrfField: String {
        "<input type=\"hidden\" name=\"csrf_token\" value=\"\(MustacheValue.htmlEscaped(csrfToken))\">"
    }

    /// The first value of a query parameter.
    func queryValue(_ name: String) -> String? { query[name]?.first }
    /// The first value of a posted field.
    func field(_ name: String) -> String? { form[name]?.first }
}

/// A file posted in a multipart form, read into memory (the console's uploads are item sheets and
/// bank files, small by nature; `uploads.max_file_mb` bounds them).
struct UploadedFormFile: Equatable {
    /// The client's file name, sanitized for display (may be empty).
    let name: String
    /// The type the browser declared (`application/octet-stream` when it declared none).
    let contentType: String
    let bytes: [UInt8]
}
