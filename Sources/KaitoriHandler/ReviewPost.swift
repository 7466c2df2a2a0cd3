import CGI
import KaitoriCore
import SitePages

/// POST /review/{token}: the customer's answer to the assessment (domain.md, "Review page").
struct ReviewPost {
    let context: HandlerContext
    let token: String

    var reviewPage: String { "/review/\(token)/" }

    /// - Returns: `step=confirm`: 200 with the answer to confirm, nothing recorded; `step=edit`:
    ///   200 with the review page and the same choices; otherwise 303 to the ID + signature page
    ///   (sell all or part) or back to the review page, which now shows the answer (cancel). A
    ///   missing decision or an impossible partial sale: 422 with the review page and the reason.
    /// - Throws: `HandlerError` 422 for a non-numeric item id;
    ///   `ReviewError` from the store; `CGIError` for an unreadable body.
    func respond<Source: ByteSource>(body: Source) throws -> CGIResponse {
        let form = try context.request.readForm(
            from: body, maxBodyBytes: min(context.settings.uploads.maxRequestBytes, ApplicationPost.maxBodyBytes),
            uploads: nil)
        let step = form.fields["step"] ?? ""
        let rawDecision = form.fields["decision"] ?? ""
        let decision = Case.Decision(rawValue: rawDecision)
        var declined: [Int64] = []
        var badItem: String?
        for raw in form.fields.all("decline") {
            if let id = Int64(raw) { declined.append(id) } else { badItem = raw }
        }

        let store = try context.openStore()
        try store.admit(context.poster(route: "review"), settings: context.settings)
        guard let record = try store.load(reviewToken: token) else { throw ReviewError.unknownToken }
        // An answered, expired or withdrawn link says so whatever was posted.
        try store.checkReviewOpen(record)
        // The same character rule as the application: a control character in any field (a newline
        // in `decision`) is a 422 naming the field, before any value is used or logged.
        let refused = CustomerInput.problems(form.fields.map { (name: $0.name, value: $0.value) })
        if !refused.isEmpty {
            HandlerLog.write("POST /review: 422: characters refused in \(refused.map(\.field).joined(separator: ", "))")
            return try pageAgain(record, store: store, ReviewDraft(decision: nil, declined: [], messages: refused.map(\.message)),
                                 status: 422)
        }
        if step == "edit" {
            // 修正する on the confirmation page: the review page again with the same choices.
            return try pageAgain(record, store: store, ReviewDraft(decision: decision, declined: Set(declined)), status: 200)
        }
        guard let decision, badItem == nil else {
            if badItem != nil { throw invalid(CustomerText.unknownItem, "decline \"\(badItem ?? "")\" is not an item id") }
            HandlerLog.write("POST /review: 422: decision \"\(rawDecision)\" is not all, part or cancel")
            return try pageAgain(record, store: store, ReviewDraft(decision: nil, declined: Set(declined),
                                                                   messages: [CustomerText.decision]), status: 422)
        }

        do {
            if step == "confirm" {
                let checked = try store.checkDecision(token: token, decision: decision, declined: declined)
                return .html(status: 200, body: try context.pages.renderer().reviewConfirm(
                    checked, decision: decision, declined: decision == .part ? Set(declined) : []))
            }
            let (_, outcome) = try store.decide(token: token, decision: decision, declined: declined,
                                                     settings: context.settings)
            switch outcome {
            case .continueToID(let kycToken):
                return .redirect(location: "/kyc/\(kycToken)/")
            case .canceled:
                return .redirect(location: reviewPage)
            }
        } catch ReviewError.invalid(let message) {
            // 一部売却 with nothing ticked, or everything ticked: the page again, choices kept, with
            // the reason, rather than a page that only leads back.
            HandlerLog.write("POST /review: 422: \(message)")
            return try pageAgain(record, store: store, ReviewDraft(decision: decision, declined: Set(declined),
                                                                   messages: [message]), status: 422)
        }
    }

    /// The review page rendered for this request, with the customer's unrecorded choices.
    private func pageAgain(_ record: Case, store: CaseStore, _ draft: ReviewDraft, status: Int) throws -> CGIResponse {
        let kycToken = try store.openIDCheckToken(caseID: record.id)
        let html = try context.pages.renderer().reviewPage(record, kycToken: kycToken, now: context.clock.now(), draft: draft)
        return .html(status: status, body: html)
    }

    private func invalid(_ message: String, _ detail: String) -> HandlerError {
        HandlerError(status: 422, title: CustomerText.invalidTitle, messages: [message], backURL: reviewPage,
                     detail: detail)
    }
}
