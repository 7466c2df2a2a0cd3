import CGI
import KaitoriCore

/// The CGI handler (`kaitori-cgi`): one process per form post, started by the web server with the
/// request in its environment and body on stdin (RFC 3875).
///
/// It answers every request with a complete HTML page or a 303: errors become status pages from
/// the shop's templates, with details only in the web server's error log (stderr).
public enum CGIHandler {
    /// Answers the request this process was started for and writes the response to stdout.
    ///
    /// - Returns: the process exit status: 0 once a response is written, 1 when stdout failed.
    public static func runProcess() -> Int32 {
        let response = respond(environment: CGIRequest.processEnvironment(), body: FileDescriptorSource(fd: 0),
                               clock: EnvironmentClock())
        do {
            try response.write(to: 1)
            return 0
        } catch {
            HandlerLog.write("writing the response failed: \(error)")
            return 1
        }
    }

    /// Answers one request.
    ///
    /// - Parameters:
    ///   - environment: the CGI variables (`REQUEST_METHOD`, `PATH_INFO`, `CONTENT_LENGTH`, ...)
    ///     and `KAITORI_SITE`, the shop folder.
    ///   - body: the request body; at most `CONTENT_LENGTH` bytes are read from it.
    ///   - clock: "now", for ages, link expiry and the stored timestamps.
    ///   - cache: what a persistent (FastCGI) handler keeps between requests; nil for CGI.
    /// - Returns: the response, never an error: every failure is a status page.
    public static func respond<Source: ByteSource>(environment: [String: String], body: Source,
                                                   clock: any Clock, cache: HandlerCache? = nil) -> CGIResponse {
        let line = "\(environment["REQUEST_METHOD"] ?? "-") \(environment["SCRIPT_NAME"] ?? "")\(environment["PATH_INFO"] ?? "")"
        guard let site = environment["KAITORI_SITE"], !site.isEmpty else {
            HandlerLog.write("\(line): 503: KAITORI_SITE is not set; the web server must pass the shop folder")
            return BuiltinPage.siteNotReady
        }
        let pages: PublishedPages
        do {
            pages = try cache?.pages(site: site) ?? PublishedPages(site: site)
        } catch {
            HandlerLog.write("\(line): 503: the site in \(site) cannot be loaded (run `kaitori build`): \(error)")
            return BuiltinPage.siteNotReady
        }

        var route: Route?
        do {
            let request = try CGIRequest(environment: environment)
            let parsed = try Route(method: request.method, pathInfo: request.pathInfo)
            route = parsed
            let context = HandlerContext(site: site, pages: pages, request: request, clock: clock, cache: cache)
            switch parsed {
            case .apply:
                return try ApplicationPost(context: context).respond(body: body)
            case .review(let token):
                return try ReviewPost(context: context, token: token).respond(body: body)
            case .kyc(let token):
                return try KYCPost(context: context, token: token).respond(body: body)
            case .applied(let code):
                return .html(status: 200, body: try pages.renderer().applied(code: code, record: justApplied(code, context)))
            case .page(let kind, let token):
                return try CustomerPage(context: context, kind: kind, token: token).respond()
            }
        } catch {
            let failure = HandlerError(error, settings: pages.settings, back: route?.formPage)
            HandlerLog.write("\(line): \(failure.status): \(failure.detail)")
            return StatusPage.response(for: failure, pages: pages)
        }
    }
}

extension CGIHandler {
    /// The case behind an applied page, for its kit or pickup wording: only within an hour of the
    /// application, so a guessed code shows nothing about an older case; a fake code from the
    /// honeypot, an unknown one or an unavailable store all get the general wording.
    static func justApplied(_ code: String, _ context: HandlerContext) -> Case? {
        guard let store = try? context.openStore(), let record = try? store.load(code: code) else { return nil }
        return record.createdAt > context.clock.now() - 3600 ? record : nil
    }
}

extension Route {
    /// The page whose form posts here, where an error page leads back to.
    var formPage: String? {
        switch self {
        case .apply: "/apply/"
        case .review(let token): "/review/\(token)/"
        case .kyc(let token): "/kyc/\(token)/"
        case .applied, .page: nil
        }
    }
}
