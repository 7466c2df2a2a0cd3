import ArgumentParser
import KaitoriCore

/// The item fields as command-line options, shared by `items add` and `items edit`. An option not
/// given leaves the field alone (edit) or at its default (add); an empty value clears it.
struct ItemOptions: ParsableArguments {
    @Option(help: "Item name (商品名).") var name: String?
    @Option(help: "Quantity (数量), 1 or more.") var quantity: String?
    @Option(help: "Unit buy price in yen (買取単価); empty means 0.") var price: String?
    @Option(help: "Unit sale price in yen (販売単価); empty means 0.") var salePrice: String?
    @Option(help: "Grade (グレード): 1 新品, 2 中古A, 3 中古B, 4 中古C, 5 中古D, 6 未使用 (number or label; a new item defaults to 3).")
    var grade: String?
    @Option(help: "JAN code, 8 or 13 digits.") var jan: String?
    @Option(help: "Product (catalog) code (商品コード).") var productCode: String?
    @Option(help: "Shelf number (棚番号).") var shelf: String?
    @Option(help: "Condition tags (コンディションタグ).") var tags: String?
    @Option(help: "Condition detail (コンディション詳細).") var condition: String?
    @Option(help: "Staff memo, never shown to the customer (商品メモ).") var memo: String?
    @Option(help: "Buyer comment shown to the customer (バイヤーコメント).") var comment: String?
    @Option(help: "Weight (重量), a number such as 1.5.") var weight: String?
    @Option(help: "Category (カテゴリ), an id of form.categories in shop.yml; decides the ID check and the ledger's 古物 class.")
    var category: String?

    var draft: ItemDraft {
        let given: [(ItemField, String?)] = [
            (.name, name), (.quantity, quantity), (.unitPrice, price), (.salePrice, salePrice), (.grade, grade),
            (.jan, jan), (.productCode, productCode), (.shelf, shelf), (.tags, tags), (.condition, condition),
            (.staffMemo, memo), (.buyerComment, comment), (.weight, weight), (.category, category),
        ]
        var draft = ItemDraft()
        for case let (field, value?) in given { draft[field] = value }
        return draft
    }
}
