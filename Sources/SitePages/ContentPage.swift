/// A page written from `content/**/*.md`: its front matter and its body, already HTML (Markdown
/// rendered in safe mode by the builder).
public struct ContentPage: Equatable, Sendable {
    /// The Markdown file, relative to the shop folder (`content/faq.md`); errors name it.
    public var file: String
    /// Site path, `/` or `/faq/`.
    public var url: String
    public var title: String
    public var description: String
    /// The template the body is rendered with (`page`, `home`, or another of the shop's).
    public var layout: String
    /// Position in the site menu, nil when the page is not in the menu.
    public var menuOrder: Int?
    public var draft: Bool
    public var html: String

    public init(file: String, url: String, title: String, description: String = "", layout: String = "page",
                menuOrder: Int? = nil, draft: Bool = false, html: String) {
        self.file = file; self.url = url; self.title = title; self.description = description
        self.layout = layout; self.menuOrder = menuOrder; self.draft = draft; self.html = html
    }
}
