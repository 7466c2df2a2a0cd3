/// The editable fields of an assessed item, in the order of the item sheet (domain.md,
/// "Assessment items"). The raw value is the English column and CLI name; `japanese` is the
/// column a spreadsheet export shows.
public enum ItemField: String, CaseIterable, Sendable {
    case productCode = "product_code"
    case jan
    case name
    case quantity
    case unitPrice = "unit_price"
    case salePrice = "sale_price"
    case grade
    case shelf
    case tags
    case condition
    case staffMemo = "staff_memo"
    case buyerComment = "buyer_comment"
    case weight
    /// Last, so sheets exported before it existed still import (ItemSheet).
    case category

    public var japanese: String {
        switch self {
        case .productCode: "商品コード"
        case .jan: "JANコード"
        case .name: "商品名"
        case .quantity: "数量"
        case .unitPrice: "買取単価"
        case .salePrice: "販売単価"
        case .grade: "グレード"
        case .shelf: "棚番号"
        case .tags: "コンディションタグ"
        case .condition: "コンディション詳細"
        case .staffMemo: "商品メモ"
        case .buyerComment: "バイヤーコメント"
        case .weight: "重量"
        case .category: "カテゴリ"
        }
    }

    /// The item's value of this field as the sheet writes it.
    public func text(of item: Item) -> String {
        switch self {
        case .productCode: item.productCode
        case .jan: item.jan
        case .name: item.name
        case .quantity: String(item.quantity)
        case .unitPrice: String(item.unitPrice)
        case .salePrice: String(item.salePrice)
        case .grade: String(item.grade)
        case .shelf: item.shelf
        case .tags: item.tags
        case .condition: item.condition
        case .staffMemo: item.staffMemo
        case .buyerComment: item.buyerComment
        case .weight: item.weight
        case .category: item.category
        }
    }
}
