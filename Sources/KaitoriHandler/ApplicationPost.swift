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
    ///   invalid field: 422 with the form filled in again.
    /// - Throws: `CGIError` for a body that cannot be read, `StoreError` when the case cannot be
    ///   stored.
    func respond<Source: ByteSource>(body: Source) throws -> CGIResponse {
        let settings = context.settings
        // Files are not part of this form: a multipart post's file parts are measured and dropped.
        let form = try context.request.readForm(
            from: body, maxBodyBytes: min(settings.uploads.maxRequestBytes, Self.maxBodyBytes), uploads: .discard)
        let values = FormValues(form.fields.map { ($0.name, $0.value) })

        if !values["website"].isEmpty {
            // Only bots fill the hidden field. They get what a person would, so they learn nothing,
            // and the code they see was never stored.
            HandlerLog.write("POST /apply: honeypot field filled; nothing stored")
            return .redirect(location: context.handlerPath("/applied/" + Identifiers.caseCode()))
        }

        let validator = ApplicationValidator(settings: settings, today: CivilDate(unixTime: context.clock.now()))
        let step = values["step"]
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
            // 確認画面: shown only for a valid form, and nothing is stored; the post from it is
            // validated again, since the hidden fields come back from the browser.
            return .html(status: 200, body: try context.pages.renderer().applyConfirm(application, values: validator.normalized(values)))
        case .success(let application):
            let store = try context.openStore()
            let (record, _) = try store.create(application, settings: settings)
            // The store's page publisher has written the case's status page (linked from the
            // first message) by the time `create` returns.
            return .redirect(location: context.handlerPath("/applied/" + record.code))
        }
    }
}
