/// The handler's status pages and the ID + signature form's remaining problems. Titles are short
/// (they become the page heading); every explanation says whether anything was kept and what to do.
extension CustomerText {
    public static let tooManyPostsTitle = "ただいま送信を受け付けられません"
    public static func tooManyPosts(minutes: Int) -> String {
        "短い時間に多くの送信がありました。恐れ入りますが、\(max(1, minutes))分ほどおいてから、もう一度お試しください。"
    }
    public static func dailyApplicationLimit(_ what: String) -> String {
        "同じ\(what)でのお申込みが、本日の受付件数の上限に達しました。恐れ入りますが、明日以降に改めてお申込みいただくか、お問い合わせください。"
    }
    public static let badRequestTitle = "送信内容を読み取れませんでした"
    public static let badRequest = "送信された内容の形式が正しくないため、受け付けられませんでした。お手数ですが、フォームのページからもう一度送信してください。"

    public static let notFoundTitle = "ページが見つかりません"
    public static let notFound = "お探しのページは見つかりませんでした。アドレスに誤りがないかご確認ください。"
    public static let unknownLink = "このリンクは無効です。メールまたはSMSでお送りしたアドレスを、もう一度ご確認ください。"

    public static let methodNotAllowedTitle = "このページは表示できません"
    public static let methodNotAllowed = "このアドレスはフォームの送信専用です。トップページからお進みください。"

    public static let tooLargeTitle = "送信内容が大きすぎます"
    public static func tooLarge(fileMB: Int, requestMB: Int) -> String {
        "添付できるファイルは1つ\(fileMB)MBまで、送信全体で\(requestMB)MBまでです。画像のサイズを小さくして、もう一度お試しください。"
    }

    public static let unsupportedTitle = "この形式は受け付けられません"
    public static let unsupported = "送信の形式に対応していません。お手数ですが、フォームのページからもう一度送信してください。"

    public static let expiredTitle = "ご回答の期限が過ぎています"
    public static let expired = "このページの有効期限が過ぎたため、ご回答を受け付けられませんでした。お手数ですが、当店までお問い合わせください。"

    public static let alreadyAnsweredTitle = "ご回答済みです"
    public static func alreadyAnswered(_ decision: String) -> String {
        "このお取引には、すでに「\(decision)」とご回答いただいています。ご回答の変更をご希望の場合は、当店までお問い合わせください。"
    }
    public static let notOpenTitle = "現在お手続きいただけません"
    public static let notOpen = "このお取引は、現在このページからお手続きいただける状態ではありません。ご不明な点は当店までお問い合わせください。"
    public static let alreadySubmittedTitle = "ご提出済みです"
    public static let alreadySubmitted = "本人確認書類とご署名は、すでにお受け取りしています。あらためてご提出いただく必要はありません。"

    public static let invalidTitle = "入力内容をご確認ください"
    public static let unsupportedFileTitle = "このファイルは受け付けられません"

    public static let unavailableTitle = "ただいま受け付けできません"
    public static let unavailable = "ただいまシステムが混み合っているか、メンテナンス中のため、受け付けられませんでした。送信内容は保存されていません。しばらくしてから、もう一度お試しください。"
    /// Shown without templates, when the site has never been built (no `var/site.json`).
    public static let siteNotReadyTitle = "ただいま準備中です"
    public static let siteNotReady = "ただいま受付の準備中のため、送信を受け付けられませんでした。送信内容は保存されていません。しばらくしてから、もう一度お試しください。"
    public static let backToTop = "トップページへ戻る"
    public static let internalErrorTitle = "エラーが発生しました"
    public static let internalError = "申し訳ございません。処理中にエラーが発生したため、受け付けられませんでした。送信内容は保存されていません。しばらくしてから、もう一度お試しください。"

    // ID + signature form, beyond what CustomerText already has.
    public static let signatureImage = "ご署名を読み取れませんでした。お手数ですが、もう一度ご署名ください。"
    public static let signatureTooLarge = "ご署名の画像が大きすぎます。お手数ですが、もう一度ご署名ください。"
}
