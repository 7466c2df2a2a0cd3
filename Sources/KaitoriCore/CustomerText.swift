/// Every Japanese sentence the handler shows a customer that does not come from a template:
/// field problems and error pages. Kept in one table so wording is reviewed in one place.
public enum CustomerText {
    public static func required(_ label: String) -> String { "\(label)を入力してください。" }
    public static func choose(_ label: String) -> String { "\(label)を選択してください。" }
    public static func invalid(_ label: String) -> String { "\(label)の形式が正しくありません。" }
    public static func tooLong(_ label: String, _ max: Int) -> String { "\(label)は\(max)文字以内で入力してください。" }
    public static let kanaOnly = "フリガナはカタカナで入力してください。"
    public static let holderKanaOnly = "口座名義はカタカナで入力してください。"
    public static func holderCharacter(_ character: String) -> String {
        "口座名義（カナ）の「\(character)」は銀行振込の口座名義に使えません。通帳に記載のカナでご入力ください。"
    }
    public static func holderTooLong(_ length: Int) -> String {
        "口座名義（カナ）が長すぎます。振込データでは半角30文字まで（濁点・半濁点も1文字、いまは\(length)文字）です。通帳に記載のとおり、必要なら略してご入力ください。"
    }
    public static let birthDate = "生年月日を正しく入力してください（例：1985-04-12）。"
    public static func dateFormat(_ label: String) -> String {
        "\(label)を正しく入力してください（例：1985-04-01、1985/4/1、昭和60年4月1日、S60.4.1）。"
    }
    public static func dateIncomplete(_ label: String) -> String { "\(label)は年・月・日まで入力してください（例：昭和60年4月1日）。" }
    public static func dateImpossible(_ label: String, _ written: String) -> String {
        "\(label)の「\(written)」は存在しない日付です。月と日をご確認ください。"
    }
    public static func dateOutsideEra(_ label: String, era: String, range: String, actual: String) -> String {
        "\(label)の年が\(era)の期間（\(range)）から外れています。\(actual)のことでしたら、その元号でご入力いただくか、西暦でご入力ください。"
    }
    public static func dateInFuture(_ label: String) -> String { "\(label)に今日より後の日付が入力されています。" }
    public static func underAge(_ minimum: Int) -> String {
        "誠に恐れ入りますが、\(minimum)歳未満の方からのお買取りはお受けしておりません。"
    }
    public static let postalCode = "郵便番号は7桁の数字で入力してください（例：330-0063）。"
    public static let phone = "電話番号は10桁または11桁の数字で入力してください。"
    public static let email = "メールアドレスの形式が正しくありません。"
    public static let emailForContact = "ご連絡方法にメールを選んだ場合は、メールアドレスを入力してください。"
    public static let phoneForSMS = "ご連絡方法にSMSを選んだ場合は、携帯電話番号を入力してください。"
    public static let bankCode = "金融機関コードは4桁の数字で入力してください。"
    public static let branchCode = "支店コードは3桁の数字で入力してください。"
    public static let accountNumber = "口座番号は7桁の数字で入力してください（7桁未満の場合は先頭に0を付けてください）。"
    public static let accountType = "口座種別を選択してください。"
    public static let itemRowsMismatch = "お品物の行が正しく送信されませんでした。お手数ですが、ページを再読み込みしてもう一度ご入力ください。"
    public static let noItems = "お送りいただくお品物を1行以上入力してください。"
    public static func tooManyItems(_ max: Int) -> String { "お品物は\(max)行までご入力いただけます。" }
    public static func itemCategory(_ row: Int) -> String { "\(row)行目：カテゴリを選択してください。" }
    public static func itemDescription(_ row: Int) -> String { "\(row)行目：品名・型番などを入力してください。" }
    public static func itemQuantity(_ row: Int) -> String { "\(row)行目：数量は1以上の数字で入力してください。" }
    public static func boxes(_ max: Int) -> String { "箱数は1〜\(max)の数字で入力してください。" }
    public static let pickupDate = "集荷希望日を正しく入力してください。"
    public static let pickupDatePast = "集荷希望日は明日以降の日付を選んでください。"
    public static let agree = "買取利用規約への同意が必要です。"
    public static func invalidCharacters(_ label: String?) -> String {
        "\(label ?? "入力内容")に使用できない文字が含まれています。"
    }
    public static let summary = "入力内容に誤りがあります。各項目のメッセージをご確認ください。"

    // KYC (ID + signature) form.
    public static let idType = "本人確認書類の種類を選択してください。"
    public static let idFront = "本人確認書類（表面）の画像を添付してください。"
    public static let idBack = "本人確認書類（裏面）の画像を添付してください。"
    public static let fileKind = "画像はJPEG・PNG・HEIC、またはPDFのファイルを添付してください。"
    public static func fileTooLarge(_ mb: Int) -> String { "ファイルのサイズは\(mb)MB以内にしてください。" }
    public static let signature = "署名欄にご署名いただくか、お名前をフルネームで入力してください。"
    public static let kycAgree = "内容の確認と同意が必要です。"
    public static let nameMismatch = "お名前が本人確認書類の内容と一致するよう入力してください。"

    // Review form.
    public static let decision = "ご回答を選択してください。"
    public static let declineNone = "一部売却の場合は、売却しないお品物を1点以上選んでください。"
    public static let declineAll = "すべてのお品物を売却しない場合は「すべてキャンセル」を選んでください。"
    public static let unknownItem = "選択されたお品物が見つかりません。ページを再読み込みしてください。"
}
