/// What the layout needs to know about the page it wraps: its `<title>`, description and how
/// robots and referrers must treat it.
struct PageMeta {
    var title: String
    var description = ""
    /// Site path; content pages get a canonical URL and mark their menu entry as current.
    var path = ""
    /// Names the body's class (`page-apply`), so CSS can tell pages apart.
    var kind: String
    /// Content pages and the application form; handler and token pages are never indexed.
    var indexable = false
    /// Pages whose URL holds a secret token: no referrer may carry it to another site.
    var holdsToken = false
}
