import KaitoriCore

/// The 買取商品 tab: the assessed items, their editing while the parcel is assessed (one by one or
/// by the item sheet), and sending back what the customer did not sell.
enum ItemsTab {
    static func render(_ m: CaseDetailPage.Model, ctx: StaffContext, base: String, kept: [String: [String]]) -> String {
        let r = m.record
        let editable = r.status == .arrived || r.status == .assessing
        var out = ""
        if r.items.isEmpty {
            out += "<p class=\"muted\">査定した商品はまだありません。</p>"
        } else {
            out += table(r, m: m)
        }
        let t = ctx.csrfToken
        if editable {
            for item in r.items {
                out += "<details class=\"more\"><summary>#\(item.id) \(h(item.displayName)) を編集・削除</summary>"
                    + "<form method=\"post\" action=\"\(h(ctx.link("\(base)/items-edit")))\">\(StaffHTML.csrf(t))"
                    + "<input type=\"hidden\" name=\"item\" value=\"\(item.id)\">"
                    + fields(prefix: "edit-\(item.id)", values: { ItemField.text($0, of: item) })
                    + "<button type=\"submit\">変更を保存</button></form>"
                    + StaffHTML.button("この商品を削除", action: ctx.link("\(base)/items-remove"), csrf: t,
                                       fields: "<input type=\"hidden\" name=\"item\" value=\"\(item.id)\">", style: "danger",
                                       confirm: "#\(item.id) \(item.displayName) を削除します。よろしいですか？")
                    + "</details>"
            }
            out += "<h3>商品を追加</h3><form method=\"post\" action=\"\(h(ctx.link("\(base)/items-add")))\" class=\"card\">\(StaffHTML.csrf(t))"
                + fields(prefix: "add", values: { field in kept[field.rawValue]?.first ?? (field == .quantity ? "1" : field == .grade ? "3" : "") })
                + "<button type=\"submit\">商品を追加</button></form>"
            out += "<h3>Excel・スプレッドシートで一括登録</h3>"
                + "<p>エクスポートしたCSVを編集してインポートします（ID とハッシュは変えずに、追加する行は空に）。最大 \(ItemSheet.maxRows) 行、10MB 未満。</p>"
                + "<form method=\"post\" action=\"\(h(ctx.link("\(base)/items-import")))\" enctype=\"multipart/form-data\" class=\"card\">\(StaffHTML.csrf(t))"
                + "<div class=\"field\"><label for=\"sheet\">商品シート（CSV）</label><input type=\"file\" name=\"sheet\" id=\"sheet\" accept=\".csv,text/csv\" required></div>"
                + "<div class=\"field\"><input type=\"checkbox\" name=\"delete_missing\" value=\"1\" id=\"delete-missing\">"
                + "<label for=\"delete-missing\" class=\"inline\">ファイルにない商品を削除する</label></div>"
                + "<button type=\"submit\">商品をインポート</button></form>"
        } else if [.received, .confirmed].contains(r.status) {
            out += "<p class=\"muted\">荷物が届いたら（着荷済み）商品を入力できます。</p>"
        } else if r.status == .assessed {
            out += "<p class=\"muted\">査定済みのため商品は変更できません。変更するには「査定を取り消す」を押してください。</p>"
        }
        out += "<p><a class=\"button secondary\" href=\"\(h(ctx.link("\(base)/items.csv")))\">商品をエクスポート（CSV）</a></p>"
        out += returns(r, m: m, ctx: ctx, base: base)
        return out
    }

    static func table(_ r: Case, m: CaseDetailPage.Model) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"cards\"><thead><tr><th scope=\"col\">ID</th><th scope=\"col\">商品</th>"
            + "<th scope=\"col\">グレード</th><th scope=\"col\" class=\"num\">数量</th><th scope=\"col\" class=\"num\">買取単価</th>"
            + "<th scope=\"col\" class=\"num\">小計</th><th scope=\"col\">状態・メモ</th></tr></thead><tbody>"
        for i in r.items {
            var codes: [String] = []
            if !i.productCode.isEmpty { codes.append("商品コード \(i.productCode)") }
            if !i.jan.isEmpty { codes.append("JAN \(i.jan)") }
            var notes: [String] = []
            if i.declined || r.status == .canceled {
                notes.append("<span class=\"tag-declined\">不成約</span>" + (i.returnedAt != nil
                    ? "（返送済み \(h(i.returnCarrier ?? "")) \(h(i.returnTracking ?? ""))）"
                    : m.child != nil ? "（再交渉済）" : r.assessedAt != nil ? "（返送必要）" : ""))
            }
            if !i.shelf.isEmpty { notes.append("棚 \(h(i.shelf))") }
            if !i.tags.isEmpty { notes.append("タグ \(h(i.tags))") }
            if !i.condition.isEmpty { notes.append("状態 \(h(i.condition))") }
            if !i.buyerComment.isEmpty { notes.append("バイヤーコメント：\(h(i.buyerComment))") }
            if !i.staffMemo.isEmpty { notes.append("商品メモ：\(h(i.staffMemo))") }
            out += "<tr\(i.declined ? " class=\"declined\"" : "")><td data-label=\"ID\">#\(i.id)</td>"
                + "<td data-label=\"商品\">\(h(i.displayName))\(codes.isEmpty ? "" : "<br><span class=\"muted\">\(h(codes.joined(separator: " / ")))</span>")</td>"
                + "<td data-label=\"グレード\">\(h(i.gradeLabel))</td><td data-label=\"数量\" class=\"num\">\(i.quantity)</td>"
                + "<td data-label=\"買取単価\" class=\"num\">\(h(Yen.format(i.unitPrice)))</td><td data-label=\"小計\" class=\"num\">\(h(Yen.format(i.subtotal)))</td>"
                + "<td data-label=\"状態・メモ\">\(notes.joined(separator: "<br>"))</td></tr>"
        }
        out += "</tbody><tfoot><tr><th scope=\"row\" colspan=\"5\">合計</th><td class=\"num\">\(h(Yen.format(r.total)))</td><td></td></tr>"
        if r.items.contains(where: \.declined) {
            out += "<tr><th scope=\"row\" colspan=\"5\">成約合計</th><td class=\"num\">\(h(Yen.format(r.acceptedTotal)))</td><td></td></tr>"
        }
        return out + "</tfoot></table></div>"
    }

    /// The item fields of the add and edit forms, named as the item sheet's English columns.
    static func fields(prefix: String, values: (ItemField) -> String) -> String {
        var out = "<div class=\"form-grid\">"
        for field in ItemField.allCases {
            let id = "\(prefix)-\(field.rawValue)"
            let value = values(field)
            switch field {
            case .grade:
                let options = Item.grades.keys.sorted().map { (value: String($0), label: "\($0) \(Item.grades[$0]!)") }
                out += StaffHTML.select(field.japanese, name: field.rawValue, id: id, options: options, selected: value)
            case .condition, .staffMemo, .buyerComment:
                let hint = field == .staffMemo ? "お客様には表示されません" : field == .buyerComment ? "お客様の査定結果に表示されます" : nil
                out += StaffHTML.textarea(field.japanese, name: field.rawValue, id: id, value: value, rows: 2, hint: hint)
            case .quantity, .unitPrice, .salePrice:
                out += StaffHTML.field(field.japanese, name: field.rawValue, id: id, value: value, required: field != .salePrice,
                                       attributes: "inputmode=\"numeric\"")
            default:
                out += StaffHTML.field(field.japanese, name: field.rawValue, id: id, value: value,
                                       hint: field == .name ? "商品名・商品コード・JANのいずれかは必須" : nil)
            }
        }
        return out + "</div>"
    }

    /// 返送済みとしてマーク: the items waiting to go back, with carrier and tracking number.
    static func returns(_ r: Case, m: CaseDetailPage.Model, ctx: StaffContext, base: String) -> String {
        let waiting = r.itemsAwaitingReturn
        guard r.assessedAt != nil, m.child == nil, !waiting.isEmpty, [.approved, .purchased, .paid, .canceled].contains(r.status) else {
            return ""
        }
        var out = "<h3>不成約品の返送</h3><form method=\"post\" action=\"\(h(ctx.link("\(base)/return")))\" class=\"card\">\(StaffHTML.csrf(ctx.csrfToken))"
            + "<input type=\"hidden\" name=\"items_listed\" value=\"1\"><fieldset><legend>返送する商品</legend>"
        for item in waiting {
            out += "<div><input type=\"checkbox\" name=\"item\" value=\"\(item.id)\" id=\"return-\(item.id)\" checked>"
                + "<label for=\"return-\(item.id)\">#\(item.id) \(h(item.displayName)) × \(item.quantity)</label></div>"
        }
        out += "</fieldset><div class=\"form-grid\">"
            + StaffHTML.field("配送業者", name: "carrier", id: "return-carrier", required: true, hint: "例：ヤマト運輸")
            + StaffHTML.field("お問合せ番号（伝票番号）", name: "tracking", id: "return-tracking", required: true, attributes: "inputmode=\"numeric\"")
            + "</div><button type=\"submit\">返送済みとしてマーク</button></form>"
        return out
    }
}

extension ItemField {
    /// The item's value of `field` as the form shows it.
    static func text(_ field: ItemField, of item: Item) -> String { field.text(of: item) }
}
