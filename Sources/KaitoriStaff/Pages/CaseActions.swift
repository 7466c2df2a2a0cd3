import KaitoriCore

/// POST /cases/{code}/{action}: one staff step. `action` is the CLI's verb, and each calls the
/// same KaitoriCore operation as that verb, under the signed-in name. Success: 303 back to the case
/// with a message; a refusal: the case page again, status 409, with the store's own words (the
/// text `kaitori` prints); input the store cannot take (a bad item field): 422, values kept.
enum CaseActions {
    /// What a step did, for the message after the redirect.
    struct Done {
        var code: String
        var query: [(String, String)] = []
    }

    static func perform(_ ctx: StaffContext) throws -> StaffResponse {
        let code = Identifiers.normalizeCode(ctx.params["code"] ?? "")
        // The owner-only /cases/{code}/pay route has no {action} segment.
        let action = ctx.params["action"] ?? "pay"
        guard let step = steps[action] else {
            return NotFoundPage.render(ctx, what: "操作「\(action)」")
        }
        do {
            let done = try step(ctx, code)
            let target = QueryString.link(ctx.link("/cases/\(done.code)"), [("done", action)] + done.query)
            return .redirect(target + (tab(for: action).map { "#\($0)" } ?? ""))
        } catch StoreError.notFound {
            return NotFoundPage.render(ctx, what: "ケース \(code)")
        } catch let error as StoreError {
            return try CaseDetailPage.render(ctx, code: code, flash: nil, error: error.description, tab: refusalTab(for: action),
                                             status: error.consoleStatus, kept: ctx.form, keptAction: action)
        } catch let error as ItemError {
            return try CaseDetailPage.render(ctx, code: code, flash: nil, error: error.description, tab: refusalTab(for: action),
                                             status: 422, kept: ctx.form, keptAction: action)
        } catch let problem as InputProblem {
            return try CaseDetailPage.render(ctx, code: code, flash: nil, error: problem.message, tab: refusalTab(for: action),
                                             status: 422, kept: ctx.form, keptAction: action)
        }
    }

    /// A form value the page itself cannot use (a missing item id, an unreadable upload).
    struct InputProblem: Error {
        let message: String
    }

    typealias Step = (StaffContext, String) throws -> Done

    /// Every step, by the CLI's verb.
    static let steps: [String: Step] = [
        "confirm": { ctx, code in Done(code: try ctx.store.confirm(code: code, by: ctx.actor, settings: ctx.settings).code) },
        "arrive": { ctx, code in
            Done(code: try ctx.store.arrive(code: code, by: ctx.actor, settings: ctx.settings, tracking: ctx.formText("tracking")).code)
        },
        "start": { ctx, code in Done(code: try ctx.store.startAssessment(code: code, by: ctx.actor).code) },
        "assess": { ctx, code in Done(code: try ctx.store.assess(code: code, by: ctx.actor, settings: ctx.settings).code) },
        "unassess": { ctx, code in Done(code: try ctx.store.unassess(code: code, by: ctx.actor).code) },
        "reissue": { ctx, code in Done(code: try ctx.store.reissueReviewLink(code: code, by: ctx.actor, settings: ctx.settings).code) },
        "cancel": { ctx, code in
            Done(code: try ctx.store.cancel(code: code, by: ctx.actor, settings: ctx.settings, note: ctx.formText("note")).code)
        },
        "purchase": { ctx, code in Done(code: try ctx.store.purchase(code: code, by: ctx.actor, settings: ctx.settings).code) },
        "pay": { ctx, code in
            // Marking paid is an owner's step (the route says so too).
            guard ctx.user.role == .owner else { throw StoreError.refused(code: code, reason: "only an owner records payments") }
            let paid = try ctx.store.pay(codes: [code], by: ctx.actor, settings: ctx.settings, note: ctx.formText("note"))
            return Done(code: paid.first?.code ?? code)
        },
        "memo": { ctx, code in
            let text = ctx.formText("text")
            guard !text.isEmpty else { throw InputProblem(message: "メモを入力してください。") }
            try ctx.store.addMemo(code: code, by: ctx.actor, text: text)
            return Done(code: code)
        },
        "items-add": { ctx, code in
            let (record, item) = try ctx.store.addItem(code: code, draft(ctx), by: ctx.actor)
            return Done(code: record.code, query: [("item", String(item.id))])
        },
        "items-edit": { ctx, code in
            let (record, item) = try ctx.store.editItem(code: code, itemID: try itemID(ctx), draft(ctx), by: ctx.actor)
            return Done(code: record.code, query: [("item", String(item.id))])
        },
        "items-remove": { ctx, code in
            let id = try itemID(ctx)
            return Done(code: try ctx.store.removeItem(code: code, itemID: id, by: ctx.actor).code, query: [("item", String(id))])
        },
        "items-import": { ctx, code in
            guard let file = ctx.files["sheet"], !file.bytes.isEmpty else {
                throw InputProblem(message: "インポートする商品シート（CSV）を選んでください。")
            }
            guard file.bytes.count < ItemSheet.maxBytes else {
                throw InputProblem(message: "商品シートは 10MB 未満にしてください（\(file.bytes.count) バイト）。ファイルを分けてインポートしてください。")
            }
            let result = try ctx.store.importItems(code: code, sheet: file.bytes, deleteMissing: ctx.formText("delete_missing") == "1",
                                                   by: ctx.actor)
            return Done(code: result.record.code, query: [("added", String(result.added.count)), ("changed", String(result.changed.count)),
                                                          ("deleted", String(result.deleted.count))])
        },
        "id-request": { ctx, code in Done(code: try ctx.store.requestID(code: code, by: ctx.actor, settings: ctx.settings).0.code) },
        "id-verify": { ctx, code in
            let method = ctx.formText("method")
            _ = try ctx.store.verifyID(code: code, method: method.isEmpty ? CaseStore.defaultVerificationMethod : method,
                                       addressCheck: ctx.formText("address_check"), note: ctx.formText("note"), by: ctx.actor)
            return Done(code: code)
        },
        "id-reject": { ctx, code in
            _ = try ctx.store.rejectID(code: code, note: ctx.formText("note"), by: ctx.actor)
            return Done(code: code)
        },
        "return": { ctx, code in
            var ids: [Int64]? = nil
            if ctx.formText("items_listed") == "1" {
                ids = ctx.formTexts("item").compactMap { Int64($0) }
                if ids!.isEmpty { throw InputProblem(message: "返送する商品を選んでください。") }
            }
            let (record, _) = try ctx.store.markReturned(code: code, carrier: ctx.formText("carrier"), tracking: ctx.formText("tracking"),
                                                         itemIDs: ids, by: ctx.actor, settings: ctx.settings)
            return Done(code: record.code)
        },
        "renegotiate": { ctx, code in
            let child = try ctx.store.renegotiate(code: code, by: ctx.actor)
            return Done(code: child.code, query: [("from", child.parentCode ?? code)])
        },
        "kit-sent": { ctx, code in
            Done(code: try ctx.store.markKitSent(code: code, carrier: ctx.formText("carrier"), tracking: ctx.formText("tracking"),
                                                 by: ctx.actor, settings: ctx.settings).code)
        },
        "pickup-arranged": { ctx, code in
            Done(code: try ctx.store.markPickupArranged(code: code, reference: ctx.formText("reference"), by: ctx.actor,
                                                        settings: ctx.settings).code)
        },
        "payout": { ctx, code in
            var values = FormValues()
            for name in ["payout", "bank_code", "branch_code", "account_type", "account_number", "account_holder"] {
                values.set(name, ctx.form[name]?.first ?? "")
            }
            return Done(code: try ctx.store.setPayout(code: code, values, by: ctx.actor, settings: ctx.settings).code)
        },
    ]

    /// The item fields posted by the add and edit forms (the item sheet's English column names).
    static func draft(_ ctx: StaffContext) -> ItemDraft {
        var draft = ItemDraft()
        for field in ItemField.allCases {
            if let value = ctx.form[field.rawValue]?.first { draft[field] = value }
        }
        return draft
    }

    static func itemID(_ ctx: StaffContext) throws -> Int64 {
        guard let id = Int64(ctx.formText("item")) else { throw InputProblem(message: "商品のIDがありません。") }
        return id
    }

    /// The tab a step belongs to, opened after it.
    static func tab(for action: String) -> String? {
        switch action {
        case "items-add", "items-edit", "items-remove", "items-import", "return": "tab-items"
        case "id-request", "id-verify", "id-reject": "tab-id"
        case "memo": "tab-memos"
        case "payout": "tab-application"
        case "kit-sent", "pickup-arranged": "tab-pickup"
        default: nil
        }
    }

    /// The tab shown with a refusal: the step's own, and for a refused purchase the ID check,
    /// which is what refuses it most of the time.
    static func refusalTab(for action: String) -> String? {
        tab(for: action) ?? (action == "purchase" ? "tab-id" : nil)
    }

    /// The message shown after a step succeeded (GET /cases/{code}?done=ACTION…).
    static func doneMessage(_ action: String, ctx: StaffContext) -> String? {
        let item = ctx.queryText("item")
        switch action {
        case "confirm": return "申込を確定しました。"
        case "arrive": return "着荷済みにしました。お客様に着荷のお知らせを送ります。"
        case "start": return "査定を開始しました。"
        case "assess": return "査定済みにしました。お客様に査定結果のURLを送ります。"
        case "unassess": return "査定を取り消しました。商品を変更できます。"
        case "reissue": return "査定結果のURLを再発行しました。"
        case "cancel": return "ケースをキャンセルしました。"
        case "purchase": return "買取を確定しました。"
        case "pay": return "支払い済みにしました。"
        case "memo": return "メモを追加しました。"
        case "items-add": return "商品 #\(item) を追加しました。"
        case "items-edit": return "商品 #\(item) を保存しました。"
        case "items-remove": return "商品 #\(item) を削除しました。"
        case "items-import":
            return "商品シートを取り込みました（追加 \(ctx.queryText("added")) 件、変更 \(ctx.queryText("changed")) 件、削除 \(ctx.queryText("deleted")) 件）。"
        case "id-request": return "本人確認の依頼を送りました。"
        case "id-verify": return "本人確認を確認済みにしました。"
        case "id-reject": return "本人確認を差し戻しました。"
        case "return": return "返送済みにしました。お客様に返送のお知らせを送ります。"
        case "renegotiate": return "再交渉ケースを作成しました（元のケース：\(ctx.queryText("from"))）。"
        case "payout": return "支払い方法を保存しました。"
        case "kit-sent": return "梱包キットを発送済みにしました。お客様に発送のお知らせを送ります。"
        case "pickup-arranged": return "集荷を手配済みにしました。お客様に集荷のお知らせを送ります。"
        default: return nil
        }
    }
}
