import CGI
import KaitoriCore

/// An error answered as a page from the shop's templates.
enum StatusPage {
    static func response(for failure: HandlerError, pages: PublishedPages) -> CGIResponse {
        var response: CGIResponse
        do {
            let page = try pages.renderer().errorPage(status: failure.status, title: failure.title,
                                              message: failure.messages.joined(separator: "\n"),
                                              backURL: failure.backURL)
            response = .html(status: failure.status, body: page)
        } catch {
            // A broken template must not hide the status the customer is owed.
            HandlerLog.write("the error page template failed: \(error)")
            response = BuiltinPage.response(status: failure.status, title: failure.title, messages: failure.messages)
        }
        response.headers.append(contentsOf: failure.headers)
        return response
    }
}
