import KaitoriCore
import Mustache

/// The console's error pages, in Japanese, inside the console layout. Details go to the log
/// (stderr), never onto the page.
enum StaffErrorPage {
    static func response(status: Int, session: StaffSession?, scriptName: String, message: String? = nil) -> StaffResponse {
        let (title, text) = words(status)
        let link = { (path: String) in StaffContext.link(path, scriptName: scriptName) }
        let e = MustacheValue.htmlEscaped
        let body = """
            <h1>\(e(title))</h1>
            <p class="error" role="alert">\(e(message ?? text))</p>
            <p><a href="\(e(link("/")))">ダッシュボードへ戻る</a></p>

            """
        return .html(StaffLayout.page(title: title, user: session?.user, csrfToken: session?.csrfToken, body: body, link: link),
                     status: status)
    }

    /// The status and the staff-facing message for a refusal from the core. A rule's refusal is
    /// 409 with the core's own words, so the console says what the CLI says.
    static func status(for error: StoreError) -> (Int, String?) {
        switch error {
        case .notFound: (404, nil)
        case .illegalTransition, .refused, .invalid: (409, error.description)
        case .unavailable: (503, nil)
        case .failed: (500, nil)
        }
    }

    static func words(_ status: Int) -> (String, String) {
        switch status {
        case 400: ("リクエストが正しくありません", "送信内容を読み取れませんでした。ページを読み込み直してからもう一度お試しください。")
        case 403: ("この操作はできません", "この操作の権限がないか、フォームの有効期限が切れています。ページを読み込み直してからもう一度お試しください。")
        case 404: ("ページが見つかりません", "指定されたページ、ケースまたはファイルはありません。")
        case 405: ("この方法ではアクセスできません", "このページはこの方法（メソッド）に対応していません。")
        case 409: ("操作できません", "現在の状態ではこの操作はできません。")
        case 413: ("データが大きすぎます", "送信されたデータが上限を超えています。ファイルを小さくしてください。")
        case 415: ("対応していない形式です", "この形式の送信には対応していません。")
        case 503: ("ただいま利用できません", "スタッフ画面を準備できません（設定ファイルまたはデータベースに問題があります）。管理者にお問い合わせください。")
        default: ("エラーが発生しました", "処理中にエラーが発生しました。時間をおいてもう一度お試しください。")
        }
    }
}
