extension Settings {
    /// Limits on customer posts, kept in the store, without any outside service (docs/security.md,
    /// "Spam and abuse"). Every limit is off at 0, which is also what a shop.yml without `abuse:`
    /// gets.
    public struct Abuse: Codable, Equatable, Sendable {
        /// Posts one address may make to one customer route (application, review answer, ID form)
        /// within `windowSeconds`; the next ones get a 429 page and nothing is stored.
        public var postsPerWindow: Int
        public var windowSeconds: Int
        /// New applications with the same email address, or the same phone number, within 24 hours.
        public var applicationsPerEmailPerDay: Int
        public var applicationsPerPhonePerDay: Int
        /// The least time between the confirmation page (確認画面) and its final post; when set, the
        /// final post must also carry the page's signed timestamp.
        public var minimumConfirmSeconds: Int

        public init(postsPerWindow: Int = 0, windowSeconds: Int = 600, applicationsPerEmailPerDay: Int = 0,
                    applicationsPerPhonePerDay: Int = 0, minimumConfirmSeconds: Int = 0) {
            self.postsPerWindow = postsPerWindow; self.windowSeconds = windowSeconds
            self.applicationsPerEmailPerDay = applicationsPerEmailPerDay; self.applicationsPerPhonePerDay = applicationsPerPhonePerDay
            self.minimumConfirmSeconds = minimumConfirmSeconds
        }

        /// How long a confirmation page's signed timestamp stays valid.
        public static let confirmTokenLifetime: Int64 = 24 * 3600
    }
}

extension Settings.Abuse {
    /// Whether any limit is on (refusals are then counted and put in the feed).
    public var isActive: Bool {
        postsPerWindow > 0 || applicationsPerEmailPerDay > 0 || applicationsPerPhonePerDay > 0 || minimumConfirmSeconds > 0
    }
}
