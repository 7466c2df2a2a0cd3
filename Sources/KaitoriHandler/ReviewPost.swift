import CGI
import KaitoriCore

/// POST /review/{token}: the customer's answer to the assessment (domain.md, "Review page").
struct ReviewPost {
    let context: HandlerContext
    let token: String

    var reviewPage: String { "/review/\(token)/" }

    /// - Returns: 303 to the ID + signature page (sell all or part) or back to the review page,
    ///   which now shows the answer (cancel).
    /// - Throws: `HandlerError` 422 for a missing decision or a non-numeric item id;
    ///   `ReviewError` from the store; `CGIError` for an unreadable body.
    func respond<Source: ByteSource>(body: Source) throws -> CGIResponse {
        let form = try context.request.readForm(
            from: body, maxBodyBytes: min(context.settings.uploads.maxRequestBytes, ApplicationPost.maxBodyBytes),
            uploads: nil)
        let rawDecision = form.fields["decision"] ?? ""
        let decision = Case.Decision(rawValue: rawDecision)
        var declined: [Int64] = []
        var badItem: String?
        for raw in form.fields.all("decline") {
            if let id = Int64(raw) { declined.append(id) } else { badItem = raw }
        }

        let store = try context.openStore()
        guard let decision, badItem == nil else {
            // An unknown link is the bigger problem: say that rather than "choose an answer".
            guard try store.load(reviewToken: token) != nil else { throw ReviewError.unknownToken }
            if decision == nil { throw invalid(CustomerText.decision, "decision \"\(rawDecision)\" is not all, part or cancel") }
            throw invalid(CustomerText.unknownItem, "decline \"\(badItem ?? "")\" is not an item id")
        }

        let (record, outcome) = try store.decide(token: token, decision: decision, declined: declined,
                                                 settings: context.settings)
        switch outcome {
        case .continueToID(let kycToken):
            return .redirect(location: "/kyc/\(kycToken)/")
        case .canceled:
            return .redirect(location: reviewPage)
        }
    }

    private func invalid(_ message: String, _ detail: String) -> HandlerError {
        HandlerError(status: 422, title: CustomerText.invalidTitle, messages: [message], backURL: reviewPage,
                     detail: detail)
    }
}
