/// The case list as a sheet (`kaitori case list -o FILE`, CSV or XLSX): the columns staff see in
/// the list, with the accepted total (what was or will be paid) and the assessed total.
public enum CaseListSheet {
    public static let header = ["受付番号", "ステータス", "状態", "申込日時", "氏名", "フリガナ", "電話", "メール",
                                "買取金額", "査定金額", "対応待ち", "経過日数"]

    /// One row of text per case (no header).
    public static func rows(_ cases: [CaseSummary]) -> [[String]] {
        cases.map { c in
            [c.code, c.status.rawValue, c.status.label, Timestamp.display(c.createdAt), c.name, c.kana, c.phone, c.email,
             String(c.acceptedTotal), String(c.total), c.needsAction ?? "", String(c.daysWaited)]
        }
    }

    /// UTF-8 CSV with BOM; customer text is neutralized so a spreadsheet never runs it as a formula.
    public static func csv(_ cases: [CaseSummary]) -> String {
        CSV.encode([header] + rows(cases))
    }
}
