/// The Mustache source of the printable estimate (見積書) and sales contract (売買契約書): one
/// self-contained HTML page (inline CSS, A4 print layout, no external files) so a document can be
/// mailed, archived or printed as is. `{{name}}` escapes HTML; the view model is built by
/// `CaseDocument`.
enum DocumentTemplate {
    static let source = """
    <!DOCTYPE html>
    <html lang="ja">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
    <title>{{title}} {{case.code}} {{customer.name}} 様</title>
    <style>
    @page { size: A4; margin: 15mm 15mm 18mm;
      @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #333; } }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 210mm; padding: 12mm; color: #111; background: #fff;
      font-family: "Noto Serif CJK JP", "Noto Serif JP", "Hiragino Mincho ProN", "Yu Mincho", serif; font-size: 10.5pt; line-height: 1.6; }
    h1 { text-align: center; font-size: 20pt; letter-spacing: .5em; margin: 0 0 6mm; }
    .meta { text-align: right; margin: 0 0 4mm; }
    .meta div { margin: 0; }
    .parties { display: flex; justify-content: space-between; gap: 8mm; margin-bottom: 6mm; }
    .parties section { flex: 1; }
    .parties h2, h2 { font-size: 11pt; border-bottom: 1px solid #111; margin: 0 0 2mm; padding-bottom: 1mm; }
    .customer-name { font-size: 14pt; }
    dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; column-gap: 4mm; }
    dt { font-weight: bold; }
    dd { margin: 0; }
    .shop-name { position: relative; padding-right: 26mm; min-height: 24mm; }
    .seal { position: absolute; right: 0; top: 0; width: 24mm; height: 24mm; object-fit: contain; }
    table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; }
    th, td { border: 1px solid #555; padding: 1.2mm 2mm; vertical-align: top; }
    th { white-space: nowrap; word-break: keep-all; }
    col.no { width: 9mm; } col.grade { width: 19mm; } col.quantity { width: 14mm; }
    col.price { width: 24mm; } col.subtotal { width: 26mm; } col.note { width: 34mm; }
    td.grade { white-space: nowrap; word-break: keep-all; }
    th { background: #eee; font-weight: bold; }
    td.num { text-align: right; white-space: nowrap; }
    tr.declined td { color: #666; text-decoration: line-through; }
    tr.declined td.mark { text-decoration: none; color: #b00; font-weight: bold; }
    .note { font-size: 9pt; color: #333; }
    .total { font-size: 13pt; text-align: right; margin: 0 0 6mm; }
    .total strong { font-size: 16pt; border-bottom: 3px double #111; padding: 0 2mm; }
    .signature { border: 1px solid #555; min-height: 28mm; padding: 2mm; margin-bottom: 6mm; }
    .signature img { max-height: 30mm; max-width: 100%; }
    .signature .typed { font-size: 16pt; }
    .draft { color: #b00; font-weight: bold; text-align: center; }
    footer { border-top: 1px solid #999; padding-top: 2mm; font-size: 9pt; }
    footer p { margin: 0; }
    .block { break-inside: avoid; }
    h2 { break-after: avoid; }
    @media print {
      body { padding: 0; max-width: none; }
      thead { display: table-header-group; }
      tr, .signature, .parties, .parties section, .block, .total, footer { break-inside: avoid; }
      th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    }
    </style>
    </head>
    <body>
    <h1>{{title}}</h1>
    {{#draft}}<p class="draft">査定中のため金額は確定していません</p>{{/draft}}
    <div class="meta">
      <div>{{number_label}}：{{case.code}}</div>
      <div>{{date_label}}：{{case.document_date}}</div>
      {{#case.valid_until}}<div>有効期限：{{case.valid_until}}</div>{{/case.valid_until}}
    </div>
    <div class="parties">
      <section>
        <h2>{{customer_role}}</h2>
        <p class="customer-name">{{customer.name}} 様</p>
        <dl>
          {{#customer.kana}}<dt>フリガナ</dt><dd>{{customer.kana}}</dd>{{/customer.kana}}
          <dt>住所</dt><dd>{{customer.address}}</dd>
          {{#is_contract}}
          <dt>生年月日</dt><dd>{{customer.birth_date}}{{#customer.age}}（{{customer.age}}歳）{{/customer.age}}</dd>
          <dt>職業</dt><dd>{{customer.occupation}}</dd>
          <dt>電話</dt><dd>{{customer.phone}}</dd>
          {{/is_contract}}
        </dl>
      </section>
      <section>
        <h2>{{shop_role}}</h2>
        <p class="shop-name"><strong>{{shop.name}}</strong>{{#seal}}<img class="seal" src="{{seal}}" alt="社印">{{/seal}}{{#shop.company}}<br>{{shop.company}}{{/shop.company}}{{#shop.representative}}<br>代表者 {{shop.representative}}{{/shop.representative}}</p>
        <dl>
          <dt>住所</dt><dd>{{#shop.postal_code}}〒{{shop.postal_code}} {{/shop.postal_code}}{{shop.address}}</dd>
          <dt>電話</dt><dd>{{shop.phone}}</dd>
          {{#shop.email}}<dt>メール</dt><dd>{{shop.email}}</dd>{{/shop.email}}
          <dt>古物商許可</dt><dd>{{shop.license_commission}} {{shop.license_number}}</dd>
        </dl>
      </section>
    </div>
    {{#is_contract}}<p>{{customer_role}}（以下「売主」）は、{{shop_role}}（以下「買主」）に対し、下記の物品を下記の金額で売り渡し、買主はこれを買い受けました。</p>{{/is_contract}}
    <h2>{{items_heading}}</h2>
    <table>
      <colgroup><col class="no"><col class="name"><col class="grade"><col class="quantity"><col class="price"><col class="subtotal"><col class="note"></colgroup>
      <thead><tr><th>No.</th><th>品名</th><th>グレード</th><th>数量</th><th>単価</th><th>小計</th><th>備考</th></tr></thead>
      <tbody>
      {{#items}}
        <tr{{#declined}} class="declined"{{/declined}}>
          <td class="num">{{no}}</td>
          <td>{{name}}{{#codes}}<br><span class="note">{{codes}}</span>{{/codes}}</td>
          <td class="grade">{{grade}}</td>
          <td class="num">{{quantity}}</td>
          <td class="num">{{unit_price}}円</td>
          <td class="num">{{subtotal}}円</td>
          <td{{#declined}} class="mark"{{/declined}}>{{#declined}}不成約{{/declined}}{{^declined}}{{comment}}{{/declined}}</td>
        </tr>
      {{/items}}
      </tbody>
    </table>
    <p class="total">{{total_label}} <strong>{{total}}円</strong></p>
    {{#declined_count}}<p class="note">不成約の{{declined_count}}点は合計に含みません。ご返送いたします。</p>{{/declined_count}}
    {{#is_contract}}
    <div class="block payment">
    <h2>お支払い</h2>
    <dl>
      <dt>支払方法</dt><dd>{{case.payout_label}}</dd>
      {{#case.purchased_date}}<dt>買取確定日</dt><dd>{{case.purchased_date}}</dd>{{/case.purchased_date}}
      {{#case.paid_date}}<dt>支払日</dt><dd>{{case.paid_date}}</dd>{{/case.paid_date}}
    </dl>
    </div>
    <div class="block id-check">
    <h2>本人確認</h2>
    {{#id}}
    <dl>
      <dt>確認書類</dt><dd>{{id.type}}</dd>
      <dt>確認方法</dt><dd>{{id.method}}</dd>
      {{#id.address_check}}<dt>住所確認</dt><dd>{{id.address_check}}</dd>{{/id.address_check}}
      <dt>確認日</dt><dd>{{id.verified_date}}{{#id.verified_by}}（{{id.verified_by}}）{{/id.verified_by}}</dd>
    </dl>
    {{/id}}
    {{^id}}<p>本人確認は完了していません。</p>{{/id}}
    </div>
    <div class="block signature-block">
    <h2>売主署名</h2>
    <div class="signature">
      {{#signature.image}}<img src="{{signature.image}}" alt="{{customer.name}} 様の署名">{{/signature.image}}
      {{#signature.typed}}<span class="typed">{{signature.typed}}</span><br><span class="note">（氏名の入力による署名）</span>{{/signature.typed}}
      {{#signature.date}}<div class="note">署名日：{{signature.date}}</div>{{/signature.date}}
    </div>
    </div>
    {{/is_contract}}
    <footer>
    {{#footer_lines}}<p>{{.}}</p>{{/footer_lines}}
    </footer>
    </body>
    </html>
    """
}
