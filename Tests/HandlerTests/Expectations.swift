import Foundation
import Testing

/// What every answer of the handler carries (issue: "Response headers").
func expectSecurityHeaders(_ response: CGIRun, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.header("Content-Type") == "text/html; charset=utf-8", sourceLocation: sourceLocation)
    #expect(response.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
    #expect(response.header("X-Content-Type-Options") == "nosniff", sourceLocation: sourceLocation)
    #expect(response.header("Referrer-Policy") == "no-referrer", sourceLocation: sourceLocation)
    let policy = response.header("Content-Security-Policy") ?? ""
    #expect(policy.contains("default-src 'self'") && !policy.contains("*") && !policy.contains("http"),
            sourceLocation: sourceLocation)
}

/// An error answer: the status, an HTML page in Japanese with a link to `back`, and a line in the log.
func expectErrorPage(_ response: CGIRun, status: Int, back: String? = nil, containing texts: [String] = [],
                     sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "log: \(response.log)", sourceLocation: sourceLocation)
    expectSecurityHeaders(response, sourceLocation: sourceLocation)
    #expect(response.body.contains("<html lang=\"ja\""), sourceLocation: sourceLocation)
    if let back { #expect(response.body.contains("href=\"\(back)\""), "no link back to \(back)", sourceLocation: sourceLocation) }
    for text in texts { #expect(response.body.contains(text), "missing: \(text)", sourceLocation: sourceLocation) }
    #expect(!response.log.isEmpty, "nothing logged for \(status)", sourceLocation: sourceLocation)
    #expect(!response.body.contains("Error(") && !response.body.contains("StoreError"), sourceLocation: sourceLocation)
}

/// The case code at the end of an applied page's address.
func appliedCode(_ response: CGIRun) -> String? {
    guard let location = response.header("Location"),
          location.range(of: #"^/cgi-bin/kaitori/applied/[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$"#, options: .regularExpression) != nil
    else { return nil }
    return String(location.suffix(9))
}
