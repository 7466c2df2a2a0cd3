import CGI
import KaitoriCore

extension HandlerError {
    /// Whatever a route threw, as the page to answer with (interfaces.md, "Statuses on failure").
    ///
    /// - Parameters:
    ///   - back: the form page the request came from, where most error pages lead back to.
    init(_ error: any Error, settings: Settings, back: String?) {
        switch error {
        case let failure as HandlerError:
            self = failure
        case let failure as CGIError:
            self = HandlerError(failure, settings: settings, back: back)
        case let failure as ReviewError:
            self = HandlerError(failure, settings: settings, back: back)
        case let refusal as AbuseRefusal:
            self = .abuse(refusal, back: back)
        case StoreError.unavailable(let detail):
            self = .unavailable("the case store is unavailable: \(detail)", back: back)
        default:
            // Anything else is a bug or a broken template: a plain 500, the rest only in the log.
            self = .internalError("\(error)", back: back)
        }
    }

    init(_ error: CGIError, settings: Settings, back: String?) {
        switch error {
        case .malformed:
            self = .badRequest(error.message, back: back)
        case .tooLarge:
            self = .tooLarge(error.message, settings: settings, back: back)
        case .unsupportedMediaType:
            self = .unsupportedMediaType(error.message, back: back)
        case .methodNotAllowed:
            self = HandlerError(status: 405, title: CustomerText.methodNotAllowedTitle,
                                messages: [CustomerText.methodNotAllowed], backURL: nil, detail: error.message)
        case .io:
            // Reading the body or writing an upload failed on our side (a full disk, most often).
            self = .unavailable(error.message, back: back)
        }
    }

    /// A refused review or ID post (`CaseStore.decide`, `CaseStore.submitID`).
    init(_ error: ReviewError, settings: Settings, back: String?) {
        let contact = settings.site.contactURL.isEmpty ? nil : settings.site.contactURL
        switch error {
        case .unknownToken:
            self = .unknownLink("no open case or ID request has this token")
        case .expired(let record):
            self = HandlerError(status: 410, title: CustomerText.expiredTitle, messages: [CustomerText.expired],
                                backURL: contact, detail: "case \(record.code): the review link has expired")
        case .alreadyAnswered(let decision, let record):
            self = HandlerError(status: 409, title: CustomerText.alreadyAnsweredTitle,
                                messages: [CustomerText.alreadyAnswered(decision.label)], backURL: back,
                                detail: "case \(record.code): already answered (\(decision.rawValue))")
        case .alreadySubmitted(let record):
            self = HandlerError(status: 409, title: CustomerText.alreadySubmittedTitle,
                                messages: [CustomerText.alreadySubmitted], backURL: back,
                                detail: "case \(record.code): this ID request was already submitted")
        case .notOpen(let record):
            self = HandlerError(status: 409, title: CustomerText.notOpenTitle, messages: [CustomerText.notOpen],
                                backURL: contact,
                                detail: "case \(record.code) is \(record.status.rawValue); the customer cannot act on it")
        case .invalid(let message):
            self = HandlerError(status: 422, title: CustomerText.invalidTitle, messages: [message], backURL: back,
                                detail: "refused: \(message)")
        }
    }
}
