/// The events that send a message (domain.md, "Notifications"); the raw value is the key under
/// `messages:` in shop.yml.
public enum MessageEvent: String, CaseIterable, Sendable {
    case applicationReceived = "application_received"
    case kitArranged = "kit_arranged"
    case pickupArranged = "pickup_arranged"
    case arrived
    case assessed
    case idRequested = "id_requested"
    case approved
    case canceled
    case purchased
    case paid
    case returned
    // To the shop's notification address.
    case shopApplication = "shop_application"
    case shopApproved = "shop_approved"
    case shopCanceled = "shop_canceled"

    public var isForShop: Bool { rawValue.hasPrefix("shop_") }

    /// Events a shop is expected to have a customer template for (`kaitori check` warns otherwise).
    public static let expectedCustomerEvents: [MessageEvent] = [
        .applicationReceived, .arrived, .assessed, .idRequested, .approved, .canceled, .purchased, .paid, .returned,
    ]
}
