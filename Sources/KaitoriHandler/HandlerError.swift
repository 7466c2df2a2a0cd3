import KaitoriCore

/// Why a request ends on an error page: the status, what the customer reads, where they can go
/// from there, and what the web server's error log gets.
///
/// The customer-facing text always comes from `CustomerText`; `detail` is English, for the shop,
/// and never shown.
struct HandlerError: Error, Equatable {
    var status: Int
    var title: String
    /// One explanation, or several problems (an ID form with more than one mistake).
    var messages: [String]
    /// The page to go back to; `nil` means the top page.
    var backURL: String?
    /// What goes to stderr.
    var detail: String
    /// Extra response headers (`Allow` on a 405).
    var headers: [(String, String)] = []

    static func == (a: HandlerError, b: HandlerError) -> Bool {
        a.status == b.status && a.title == b.title && a.messages == b.messages && a.backURL == b.backURL
            && a.detail == b.detail && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
    }

    static func badRequest(_ detail: String, back: String? = nil) -> HandlerError {
        HandlerError(status: 400, title: CustomerText.badRequestTitle, messages: [CustomerText.badRequest],
                     backURL: back, detail: detail)
    }

    /// A post refused by the spam and abuse limits: 429 with a polite page, `Retry-After` when
    /// the window's end is known.
    static func abuse(_ refusal: AbuseRefusal, back: String?) -> HandlerError {
        switch refusal {
        case .tooManyPosts(let retryAfter):
            return HandlerError(status: 429, title: CustomerText.tooManyPostsTitle, messages: [CustomerText.tooManyPosts(minutes: Int((retryAfter + 59) / 60))],
                                backURL: back, detail: "too many posts from this address; nothing stored",
                                headers: [("Retry-After", String(retryAfter))])
        case .dailyLimit(let field):
            return HandlerError(status: 429, title: CustomerText.tooManyPostsTitle,
                                messages: [CustomerText.dailyApplicationLimit(field == "email" ? "メールアドレス" : "電話番号")],
                                backURL: back, detail: "daily application cap reached for this \(field); nothing stored")
        default:
            return HandlerError(status: 429, title: CustomerText.tooManyPostsTitle, messages: [CustomerText.tooManyPosts(minutes: 10)],
                                backURL: back, detail: "refused: \(refusal); nothing stored")
        }
    }

    static func notFound(_ detail: String) -> HandlerError {
        HandlerError(status: 404, title: CustomerText.notFoundTitle, messages: [CustomerText.notFound],
                     backURL: nil, detail: detail)
    }

    /// A token-shaped path the store does not know: a mistyped or superseded link.
    static func unknownLink(_ detail: String) -> HandlerError {
        HandlerError(status: 404, title: CustomerText.notFoundTitle, messages: [CustomerText.unknownLink],
                     backURL: nil, detail: detail)
    }

    static func methodNotAllowed(_ method: String, path: String, allow: String) -> HandlerError {
        HandlerError(status: 405, title: CustomerText.methodNotAllowedTitle, messages: [CustomerText.methodNotAllowed],
                     backURL: nil, detail: "\(method) \(path): only \(allow) is allowed", headers: [("Allow", allow)])
    }

    static func tooLarge(_ detail: String, settings: Settings, back: String?) -> HandlerError {
        HandlerError(status: 413, title: CustomerText.tooLargeTitle,
                     messages: [CustomerText.tooLarge(fileMB: settings.uploads.maxFileBytes >> 20,
                                                      requestMB: settings.uploads.maxRequestBytes >> 20)],
                     backURL: back, detail: detail)
    }

    static func unsupportedMediaType(_ detail: String, back: String?) -> HandlerError {
        HandlerError(status: 415, title: CustomerText.unsupportedTitle, messages: [CustomerText.unsupported],
                     backURL: back, detail: detail)
    }

    static func unavailable(_ detail: String, back: String?) -> HandlerError {
        HandlerError(status: 503, title: CustomerText.unavailableTitle, messages: [CustomerText.unavailable],
                     backURL: back, detail: detail)
    }

    static func internalError(_ detail: String, back: String?) -> HandlerError {
        HandlerError(status: 500, title: CustomerText.internalErrorTitle, messages: [CustomerText.internalError],
                     backURL: back, detail: detail)
    }
}
