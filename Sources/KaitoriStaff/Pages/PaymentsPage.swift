import KaitoriCore
import Payouts

/// GET /payments (owner): the Zengin 総合振込 file of every purchased, unpaid bank-transfer case,
/// and 一括支払済マーク by case codes or by the bank's completed transfer file, the same
/// operations as `kaitori zengin export` (`PayoutRun`) and `kaitori pay` (`PaymentRun`).
enum PaymentsPage {
    static func render(_ ctx: StaffContext) throws -> StaffResponse {
        var flash: String? = nil
        if let paid = Int(ctx.queryText("paid")) {
            flash = "\(paid) 件を支払い済みにしました（\(ctx.queryText("codes").split(separator: ",").joined(separator: "、"))）。"
        }
        return try page(ctx, flash: flash, error: nil, status: 200, codesText: "")
    }

    static func page(_ ctx: StaffContext, flash: String?, error: String?, status: Int, codesText: String) throws -> StaffResponse {
        let due = try ctx.store.payableBankTransfers()
        let exported = try ctx.store.payableBankTransfers(includeExported: true).filter { $0.payoutBatchID != nil }
        let unpaid = try ctx.store.list(CaseQuery(status: .purchased))
        var body = "<h1>支払い</h1>"
        if let error { body += StaffHTML.message(error, error: true) }
        if let flash { body += StaffHTML.message(flash, error: false) }

        let total = due.reduce(0) { $0 + $1.acceptedTotal }
        body += "<section class=\"card\" aria-labelledby=\"zengin-heading\"><h2 id=\"zengin-heading\">振込データ（全銀フォーマット）のエクスポート</h2>"
            + "<p>買取完了・未払いの銀行振込ケース：<strong>\(due.count) 件、\(h(Yen.format(total)))</strong>"
            + (exported.isEmpty ? "" : "（ほかに出力済み・未払い \(exported.count) 件）") + "</p>"
            + excludedList(try PayoutRun.excludedCases(store: ctx.store, settings: ctx.settings), ctx: ctx)
            + "<form method=\"post\" action=\"\(h(ctx.link("/payments/zengin")))\">\(StaffHTML.csrf(ctx.csrfToken))"
            + StaffHTML.field("振込指定日（MMDD）", name: "date", id: "zengin-date", value: nextDay(ctx.now), required: true,
                              hint: "例：1125（11月25日）", attributes: "inputmode=\"numeric\" pattern=\"[0-9]{4}\" maxlength=\"4\"")
            + "<div class=\"field\"><input type=\"checkbox\" name=\"include_exported\" value=\"1\" id=\"include-exported\">"
            + "<label for=\"include-exported\" class=\"inline\">出力済みのケースも含める</label></div>"
            + "<div class=\"field\"><input type=\"checkbox\" name=\"all_or_nothing\" value=\"1\" id=\"all-or-nothing\">"
            + "<label for=\"all-or-nothing\" class=\"inline\">不備のあるケースが1件でもあれば出力しない</label></div>"
            + "<button type=\"submit\">振込データをダウンロード</button></form></section>"

        body += "<section class=\"card\" aria-labelledby=\"bulk-heading\"><h2 id=\"bulk-heading\">一括支払済マーク</h2>"
            + "<h3>買取コード入力</h3><form method=\"post\" action=\"\(h(ctx.link("/payments/pay")))\" data-confirm=\"入力した買取コードのケースを支払い済みにします。よろしいですか？\">"
            + StaffHTML.csrf(ctx.csrfToken)
            + StaffHTML.textarea("買取コード（1行に1件）", name: "codes", id: "pay-codes", value: codesText, rows: 5, required: true)
            + StaffHTML.field("メモ（履歴に記録）", name: "note", id: "pay-note")
            + "<button type=\"submit\">支払済マーク実行</button></form>"
            + "<h3>全銀ファイルから</h3><p>銀行のシステムから出力した振込完了データを取り込み、口座と金額が一致するケースを支払い済みにします。</p>"
            + "<form method=\"post\" action=\"\(h(ctx.link("/payments/pay")))\" enctype=\"multipart/form-data\" data-confirm=\"振込完了データのケースを支払い済みにします。よろしいですか？\">"
            + StaffHTML.csrf(ctx.csrfToken)
            + "<div class=\"field\"><label for=\"transfer-file\">振込完了データ（全銀フォーマット）</label><input type=\"file\" name=\"transfer_file\" id=\"transfer-file\" required></div>"
            + "<button type=\"submit\">支払済マーク実行</button></form></section>"

        body += "<section aria-labelledby=\"unpaid-heading\"><h2 id=\"unpaid-heading\">支払い待ちのケース（買取完了）</h2>"
        if unpaid.isEmpty {
            body += "<p class=\"muted\">支払い待ちのケースはありません。</p>"
        } else {
            body += CaseListPage.table(unpaid, ctx: ctx)
        }
        body += "</section>"
        return ctx.page(title: "支払い", body: body, status: status, current: "/payments")
    }

    /// The due cases the file will leave out, each with its problems; empty when every case fits.
    static func excludedList(_ problems: [TransferExport.Problem], ctx: StaffContext) -> String {
        guard !problems.isEmpty else { return "" }
        var codes: [String] = []
        for p in problems where !codes.contains(p.code) { codes.append(p.code) }
        let rows = codes.map { code in
            "<li><a href=\"\(h(ctx.link("/cases/" + code)))\">\(h(code))</a>："
                + problems.filter { $0.code == code }.map { h("\($0.field): \($0.message)") }.joined(separator: "、") + "</li>"
        }
        return "<div class=\"notice notice-error\" role=\"status\" id=\"zengin-excluded\"><p>次の \(codes.count) 件は口座情報に不備があるため振込データに含まれません"
            + "（支払い待ちのまま残ります。口座情報を修正してから再度出力してください）。</p><ul>\(rows.joined())</ul></div>"
    }

    /// Tomorrow in Japan as MMDD, the usual transfer date.
    static func nextDay(_ now: Int64) -> String {
        let d = CivilDate(unixTime: now).adding(days: 1)
        return String(d.iso.dropFirst(5)).replacing("-", with: "")
    }

    /// POST /payments/zengin: the file as a download; the batch is recorded. The file is written
    /// record by record to a spool file in the shop's var/ (memory does not grow with the cases),
    /// all of it before the batch is recorded, then sent from there; a refused export records no
    /// batch and sends the page with the reason.
    static func zengin(_ ctx: StaffContext) throws -> StaffResponse {
        let date = TextNormalizer.halfWidth(ctx.formText("date"))
        do {
            let spool = try SpoolFile(in: ctx.site + "/var")
            let batch = try PayoutRun.streamTransfers(store: ctx.store, settings: ctx.settings, date: date,
                                                      includeExported: ctx.formText("include_exported") == "1",
                                                      fileName: "console:\(ctx.user.name)",
                                                      allOrNothing: ctx.formText("all_or_nothing") == "1",
                                                      write: spool.write, finish: spool.flush)
            return try .download(spool, contentType: "application/octet-stream", filename: "zengin-\(date)-batch\(batch.id).txt")
        } catch let refused as PayoutRun.Refused {
            return try page(ctx, flash: nil, error: refused.description, status: 409, codesText: "")
        }
    }

    /// POST /payments/pay: by pasted codes, or by the bank's completed file. All or nothing.
    static func pay(_ ctx: StaffContext) throws -> StaffResponse {
        let codesText = ctx.form["codes"]?.first ?? ""
        let codes: [String]
        var note = ctx.formText("note")
        do {
            if let file = ctx.files["transfer_file"], !file.bytes.isEmpty {
                let matched = try PaymentRun.codes(inTransferFile: file.bytes, source: file.name.isEmpty ? "振込完了データ" : file.name,
                                                   store: ctx.store)
                codes = matched.codes
                if note.isEmpty { note = matched.note }
            } else {
                codes = try PaymentRun.codes(inList: Array(codesText.utf8), source: "買取コード")
            }
            let paid = try ctx.store.pay(codes: codes, by: ctx.actor, settings: ctx.settings, note: note)
            return .redirect(QueryString.link(ctx.link("/payments"), [("paid", String(paid.count)), ("codes", paid.map(\.code).joined(separator: ","))]))
        } catch let refused as PaymentRun.Refused {
            return try page(ctx, flash: nil, error: refused.description, status: 409, codesText: codesText)
        } catch let error as StoreError {
            return try page(ctx, flash: nil, error: error.description, status: 409, codesText: codesText)
        }
    }
}
