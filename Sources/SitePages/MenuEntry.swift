/// One link of the site menu, from a content page's `menu` front matter.
public struct MenuEntry: Codable, Equatable, Sendable {
    public var title: String
    /// Site path, e.g. `/faq/`.
    public var url: String
    public var order: Int

    public init(title: String, url: String, order: Int) {
        self.title = title; self.url = url; self.order = order
    }
}
