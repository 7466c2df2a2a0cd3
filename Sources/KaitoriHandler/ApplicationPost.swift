import CGI
import KaitoriCore

/// POST /apply: the application form (domain.md, "Application form").
struct ApplicationPost {
    /// The largest body read for a form without files; it is read whole into memory, and a
    /// full application with thirty item rows is a few kilobytes.
    static let maxBodyBytes = 1 << 20

    let context: HandlerContext

    /// - Returns: `step=confirm`: 200 with the confirmation page; `step=edit`: 200 with the form
    ///   filled in; otherwise (`step=submit` or none) 303 to the applied page once stored. Any
    ///   invalid field: 422 with the form filled in again. Over a spam and abuse limit
    ///   (`Settings.Abuse`): 429, or softly the applied page of a case never stored.
    /// - Throws: `CGIError` for a body that cannot be read, `StoreError` when the case cannot be
    ///   stored.
    func respond<Source: ByteSource>(body: Source) throws -> CGIResponse {
        let settings = context.settings
        // Files are not part of this form: a multipart post's file parts are measured and dropped.
        let form = try context.request.readForm(
            from: body, maxBodyBytes: min(settings.uploads.maxRequestBytes, Self.maxBodyBytes), uploads: .discard)
        let values = FormValues(pairs: form.fields.map { (name: $0.name, value: $0.value) })
        let poster = context.poster(route: "apply")
        let limits = settings.abuse

        if !values["website"].isEmpty {
            // Only bots fill the hidden field. They get what a person would, so they learn nothing,
            // and the code they see was never stored.
            HandlerLog.write("POST /apply: honeypot field filled; nothing stored")
            return try softRefusal(.honeypot, poster)
        }

        let validator = ApplicationValidator(settings: settings, today: CivilDate(unixTime: context.clock.now()))
        let step = values["step"]
        let final = step != "edit" && step != "confirm"
        // The final post's limits are counted in the same transaction as the case (`create`).
        // Without a rate limit a post that stores nothing never opens the store.
        if !final, limits.postsPerWindow > 0 { try context.openStore().admit(poster, settings: settings) }
        if step == "edit" {
            // 修正する on the confirmation page: the form again, filled in, nothing checked yet.
            return .html(status: 200, body: try context.pages.renderer().applyForm(values: validator.normalized(values), errors: nil))
        }
        switch validator.validate(values) {
        case .failure(let errors):
            HandlerLog.write("POST /apply: 422: \(Set(errors.errors.map(\.field)).sorted().joined(separator: ", "))")
            let page = try context.pages.renderer().applyForm(values: validator.normalized(values), errors: errors)
            return .html(status: 422, body: page)
        case .success(let application) where step == "confirm":
            return try confirmPage(application, values: validator.normalized(values))
        case .success(let application):
            let store = try context.openStore()
            if limits.minimumConfirmSeconds > 0 {
                // The confirmation page's signed timestamp: a post without one never saw the page,
                // one too soon after it was not read by a person.
                switch ConfirmToken.check(values["form_token"], secret: try store.confirmPageSecret(), now: context.clock.now()) {
                case .invalid:
                    HandlerLog.write("POST /apply: no valid confirmation token; nothing stored")
                    return try softRefusal(.unsigned, poster)
                case .valid(let age) where age < Int64(limits.minimumConfirmSeconds):
                    HandlerLog.write("POST /apply: sent \(age) s after the confirmation page; nothing stored")
                    return try softRefusal(.tooFast(seconds: age), poster)
                case .expired:
                    // A page left open for a day: the same page again, freshly signed.
                    return try confirmPage(application, values: validator.normalized(values))
                case .valid:
                    break
                }
            }
            let record: Case
            do {
                if let group = context.cache?.groupCommit {
                    record = try group.create(application, settings: settings, poster: poster, store: store)
                } else {
                    record = try store.create(application, settings: settings, poster: poster).0
                }
            } catch let refusal as AbuseRefusal {
                return try refused(refusal, poster)
            }
            // No page file is written for a new case: its status page (linked from the first
            // message) is rendered per request (`CustomerPage`) until the case's first change.
            return .redirect(location: context.handlerPath("/applied/" + record.code))
        }
    }

    /// 確認画面: shown only for a valid form, and nothing is stored; the post from it is validated
    /// again, since the hidden fields come back from the browser. With a minimum confirmation
    /// time it carries its signed timestamp (`form_token`).
    private func confirmPage(_ application: Application, values: FormValues) throws -> CGIResponse {
        var carried = values
        carried.pairs.removeAll { $0.name == "form_token" }
        if context.settings.abuse.minimumConfirmSeconds > 0 {
            let secret = try context.openStore().confirmPageSecret()
            carried.pairs.append((name: "form_token", value: ConfirmToken.make(secret: secret, at: context.clock.now())))
        }
        return .html(status: 200, body: try context.pages.renderer().applyConfirm(application, values: carried))
    }

    /// A refusal a bot must not learn from: the applied page of a code that was never stored
    /// (or the 429 page once the address is over its limit as well).
    private func softRefusal(_ refusal: AbuseRefusal, _ poster: Poster) throws -> CGIResponse {
        if context.settings.abuse.isActive {
            let outcome = try context.openStore().refuse(refusal, poster: poster, settings: context.settings)
            if case .tooManyPosts = outcome { throw HandlerError.abuse(outcome, back: "/apply/") }
        }
        return .redirect(location: context.handlerPath("/applied/" + Identifiers.caseCode()))
    }

    /// A refusal from `create`, counted and put in the feed, answered with the 429 page.
    private func refused(_ refusal: AbuseRefusal, _ poster: Poster) throws -> CGIResponse {
        let outcome = try context.openStore().refuse(refusal, poster: poster, settings: context.settings)
        HandlerLog.write("POST /apply: 429: \(outcome); nothing stored")
        throw HandlerError.abuse(outcome, back: "/apply/")
    }
}
