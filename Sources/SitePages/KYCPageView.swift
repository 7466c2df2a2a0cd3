import KaitoriCore
import Mustache

/// The ID + signature page of one ID request (domain.md, "Identity verification", "Approval and
/// signature"): the form while the request is open, "受け付けました" once it is submitted.
struct KYCPageView {
    let record: Case
    let check: IDCheck
    let settings: Settings

    var context: MustacheValue {
        let selling = record.decision == .all || record.decision == .part
        // Without an ID requirement the customer only confirms and signs (the ID fields are left
        // out; the handler accepts the form without them).
        let rule = settings.idRequirement(for: record)
        let mb = max(1, settings.uploads.maxFileBytes / (1024 * 1024))
        let accept = "image/jpeg,image/png,image/heic,application/pdf"
        let fields: [FormField] = [
            FormField(name: "id_type", id: "f-id-type", label: "本人確認書類の種類", type: "select", autocomplete: "off",
                      required: true, options: [FormField.Option(value: "", label: "選択してください")]
                          + settings.idTypes.map { FormField.Option(value: $0.id, label: $0.label, back: $0.back) }),
            FormField(name: "id_front", id: "f-id-front", label: "本人確認書類（表面）", type: "file",
                      hint: "JPEG・PNG・HEICの画像、またはPDFを\(mb)MBまで添付できます。健康保険証の場合は、記号・番号とQRコードを付箋などで隠してから撮影してください（隠されていない画像は削除し、再提出をお願いします）。",
                      required: true, accept: accept),
            FormField(name: "id_back", id: "f-id-back", label: "本人確認書類（裏面）", type: "file",
                      hint: "運転免許証など、裏面にも記載のある書類の場合に添付してください。",
                      requirement: "裏面のある書類の場合", accept: accept),
            FormField(name: "name", id: "f-name", label: "お名前", autocomplete: "name", maxlength: 60,
                      placeholder: "例：山田 太郎", hint: "本人確認書類に記載のとおりご入力ください。", required: true),
            FormField(name: "address", id: "f-address", label: "ご住所", autocomplete: "street-address", maxlength: 200,
                      placeholder: "例：埼玉県さいたま市浦和区高砂2-8-14 まる福ハイツ101号室",
                      hint: "本人確認書類に記載のご住所を、都道府県からご入力ください。", required: true),
            FormField(name: "birth_date", id: "f-birth-date", label: "生年月日", autocomplete: "bday", maxlength: 20,
                      placeholder: "例：1985-04-12", hint: ApplyFormView.birthDateHint, required: true),
            FormField(name: "signature_name", id: "f-signature-name", label: "お名前（フルネーム）による署名",
                      autocomplete: "name", maxlength: 60, placeholder: "例：山田 太郎",
                      hint: "署名欄にご署名いただけない場合は、フルネームを入力して署名に代えてください。",
                      requirement: "署名欄を使わない場合"),
            FormField(name: "agree", id: "f-agree", label: selling
                          ? "入力した内容と本人確認書類に相違がなく、上記のお品物を上記の金額で売却することに同意します"
                          : "入力した内容と本人確認書類に相違がないことを確認しました",
                      type: "checkbox", required: true),
        ]
        var byName: [String: MustacheValue] = [:]
        for field in fields { byName[field.name] = field.context }
        let accepted = record.decision == nil ? record.items : record.acceptedItems
        return [
            "code": .string(record.code),
            "open": .bool(check.state == .open),
            "id_required": .bool(rule.required),
            "id_reason": .string(rule.reason),
            "submitted": .bool(check.state == .submitted),
            "submitted_date": .string(check.submittedAt.map { CivilDate(unixTime: $0).japanese } ?? ""),
            "action": .string(settings.handlerPath("/kyc/\(check.token)")),
            "fields": .object(byName),
            "max_file_mb": .int(mb),
            "selling": .bool(selling),
            "items": .list(accepted.map { item in
                [
                    "name": .string(item.displayName),
                    "grade": .string(item.gradeLabel),
                    "quantity": .int(item.quantity),
                    "subtotal_yen": .string(Yen.format(item.subtotal)),
                ]
            }),
            "total_yen": .string(Yen.format(record.decision == nil ? record.total : record.acceptedTotal)),
        ]
    }
}
