import KaitoriCore

/// The console's stylesheet and script, served by the console itself at `/assets/console.css` and
/// `/assets/console.js` (so the console works wherever the program runs, without files to copy).
/// Every page works without the script: it only adds tabs, confirmations and small conveniences.
enum StaffAssets {
    /// The asset for a path under `/assets/`, with its content type; nil for any other name.
    static func asset(named name: String) -> (contentType: String, body: String)? {
        switch name {
        case "console.css": ("text/css; charset=utf-8", css)
        case "console.js": ("text/javascript; charset=utf-8", js)
        default: nil
        }
    }

    static let css = """
    :root { --ink: #1d2330; --muted: #535b6b; --line: #c9ced8; --bg: #f4f5f8; --card: #fff; --accent: #0b5cad;
      --accent-ink: #fff; --danger: #b3261e; --ok: #1e6b35; --warn-bg: #fff4e5; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; font-family: "Hiragino Sans", "Noto Sans JP", "IPAGothic", "Yu Gothic", sans-serif;
      font-size: 15px; line-height: 1.6; color: var(--ink); background: var(--bg); }
    a { color: var(--accent); }
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
      outline: 3px solid #f0a500; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5em 1em; z-index: 10; }
    .skip:focus { left: .5em; }
    .visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
      white-space: nowrap; }
    header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5em 1.5em; padding: .6em 1em;
      background: #1d2330; color: #fff; }
    header.top a { color: #fff; }
    .icon { vertical-align: -2px; margin-right: .2em; }
    .brand a { font-weight: bold; font-size: 1.1em; text-decoration: none; }
    .brand-sub { color: #d0d4dc; font-size: .85em; }
    nav.menu ul { display: flex; flex-wrap: wrap; gap: .25em; margin: 0; padding: 0; list-style: none; }
    nav.menu a { display: inline-block; padding: .35em .7em; border-radius: 4px; text-decoration: none; }
    nav.menu a:hover { background: #343c4f; }
    nav.menu a[aria-current="page"] { background: #fff; color: #1d2330; }
    .badge { display: inline-block; min-width: 1.5em; margin-left: .3em; padding: 0 .4em; border-radius: 1em;
      background: #d93025; color: #fff; font-size: .8em; text-align: center; }
    .who { margin-left: auto; display: flex; align-items: center; gap: .6em; }
    .role { color: #d0d4dc; font-size: .85em; }
    .link-button { background: none; border: 1px solid #9aa3b5; color: #fff; padding: .2em .7em; border-radius: 4px;
      font: inherit; cursor: pointer; }
    main { max-width: 1200px; margin: 0 auto; padding: 1em; }
    main:focus { outline: none; }
    h1 { font-size: 1.45em; margin: .3em 0 .6em; }
    h2 { font-size: 1.2em; margin: 1.2em 0 .5em; }
    h3 { font-size: 1.05em; margin: 1em 0 .4em; }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1em; margin-bottom: 1em; }
    table { border-collapse: collapse; width: 100%; background: var(--card); }
    th, td { border-bottom: 1px solid var(--line); padding: .45em .5em; text-align: left; vertical-align: top; }
    th { background: #e8ebf1; font-weight: bold; white-space: nowrap; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    .table-wrap { overflow-x: auto; }
    .status { display: inline-block; padding: 0 .5em; border-radius: 3px; border: 1px solid var(--line); background: #eef1f6;
      white-space: nowrap; font-size: .9em; }
    .status-received, .status-approved { background: #fff0d6; border-color: #d9a54a; }
    .status-paid { background: #e3f3e6; border-color: #7fb88c; }
    .status-canceled { background: #eee; color: #444; }
    .dot { color: #d93025; margin-right: .25em; }
    .needs-reason { font-size: .85em; color: var(--danger); }
    .muted { color: var(--muted); }
    .notice { border-radius: 6px; padding: .6em 1em; margin: 0 0 1em; border: 1px solid; }
    .notice p { margin: 0; }
    .notice-error { background: #fdecea; border-color: var(--danger); color: #6b1510; }
    .notice-ok { background: #e6f4ea; border-color: var(--ok); color: #0f3d1d; }
    .field { margin: 0 0 .7em; }
    .field label { display: block; font-weight: bold; margin-bottom: .15em; }
    .field label.inline { display: inline; font-weight: normal; margin-left: .3em; }
    .hint { display: block; color: var(--muted); font-size: .85em; }
    .req { color: var(--danger); font-weight: normal; font-size: .85em; }
    input[type=text], input[type=search], input[type=date], input[type=number], input[type=tel], input[type=password],
    select, textarea { font: inherit; padding: .35em .5em; border: 1px solid #8a93a6; border-radius: 4px; width: 100%;
      max-width: 32em; background: #fff; color: var(--ink); }
    textarea { max-width: 48em; }
    button, .button { font: inherit; display: inline-block; padding: .4em 1em; border-radius: 4px; border: 1px solid var(--accent);
      background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none; line-height: 1.5; }
    button.secondary, .button.secondary { background: #fff; color: var(--accent); }
    button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
    .inline-form { display: inline; margin: 0; }
    .actions { display: flex; flex-wrap: wrap; gap: .5em; align-items: flex-start; margin: .5em 0 1em; }
    .actions form { display: inline-flex; flex-wrap: wrap; gap: .4em; align-items: flex-end; }
    .actions .field { margin: 0; }
    .form-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14em, 1fr)); gap: 0 1em; }
    .search { display: flex; flex-wrap: wrap; gap: .5em; align-items: flex-end; }
    .search .field { margin: 0; }
    details.more { margin: .5em 0; }
    details.more > summary { cursor: pointer; color: var(--accent); }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 0; }
    dl.facts dt { font-weight: bold; color: var(--muted); }
    dl.facts dd { margin: 0; }
    .tabs { display: flex; flex-wrap: wrap; gap: .25em; margin: 1em 0 0; padding: 0; list-style: none; border-bottom: 2px solid var(--accent); }
    .tabs a { display: block; padding: .4em .9em; border: 1px solid var(--line); border-bottom: none; border-radius: 6px 6px 0 0;
      background: #e8ebf1; text-decoration: none; color: var(--ink); }
    .tabs a[aria-selected="true"] { background: var(--accent); color: #fff; border-color: var(--accent); }
    .tab-panel { background: var(--card); border: 1px solid var(--line); border-top: none; padding: 1em; margin-bottom: 1em; }
    .js .tab-panel[hidden] { display: none; }
    .id-review { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1em; }
    .id-images { display: flex; flex-wrap: wrap; gap: .8em; }
    .id-images figure { margin: 0; max-width: 100%; }
    .id-images img { max-width: 100%; max-height: 420px; border: 1px solid var(--line); background: #fff; }
    .signature-image { max-width: 100%; max-height: 200px; border: 1px solid var(--line); background: #fff; }
    .mismatch { color: var(--danger); font-weight: bold; }
    .dashboard { display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); gap: .8em; margin: 0; padding: 0; list-style: none; }
    .dashboard a { display: block; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .8em 1em;
      text-decoration: none; color: var(--ink); height: 100%; }
    .dashboard a.waiting { border-left: 6px solid #d93025; }
    .dashboard .count { display: block; font-size: 2em; font-weight: bold; color: var(--accent); line-height: 1.2; }
    .dashboard .kind { display: block; font-weight: bold; }
    .unread { font-weight: bold; }
    .unread-mark { display: inline-block; padding: 0 .4em; border-radius: 3px; background: #d93025; color: #fff; font-size: .8em; }
    .pager { display: flex; gap: 1em; align-items: center; margin: 1em 0; }
    .declined td { color: var(--muted); }
    .tag-declined { color: var(--danger); font-weight: bold; }
    @media (max-width: 720px) {
      body { font-size: 16px; }
      main { padding: .6em; }
      .who { margin-left: 0; }
      .id-review { grid-template-columns: 1fr; }
      table.cards, table.cards tbody, table.cards tfoot { display: block; width: 100%; }
      table.cards thead { position: absolute; left: -9999px; }
      table.cards tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin-bottom: .6em; background: var(--card); }
      table.cards td { display: flex; gap: .6em; border: none; padding: .2em .6em; overflow-wrap: anywhere; }
      table.cards td::before { content: attr(data-label); font-weight: bold; color: var(--muted); min-width: 6.5em; }
      table.cards td.num { text-align: left; }
    }
    @media print {
      header.top, .actions, form, .tabs, .skip { display: none !important; }
      .tab-panel[hidden] { display: block !important; }
    }
    """

    static let js = """
    // Progressive enhancement only: every page works without this file.
    (function () {
      'use strict';
      document.documentElement.classList.add('js');

      // Buttons that ask first (cancel, purchase, pay...).
      document.addEventListener('submit', function (event) {
        var form = event.target;
        var question = form.getAttribute('data-confirm');
        if (question && !window.confirm(question)) { event.preventDefault(); }
      });

      function ready(fn) {
        if (document.readyState !== 'loading') { fn(); } else { document.addEventListener('DOMContentLoaded', fn); }
      }

      ready(function () {
        // Case page: the section links become tabs (without script every section is shown in turn).
        var list = document.querySelector('[data-tabs]');
        if (list) {
          var links = Array.prototype.slice.call(list.querySelectorAll('a[href^="#"]'));
          var panels = links.map(function (a) { return document.getElementById(a.getAttribute('href').slice(1)); });
          list.setAttribute('role', 'tablist');
          Array.prototype.forEach.call(list.children, function (li) { li.setAttribute('role', 'presentation'); });
          function select(index, focus) {
            links.forEach(function (a, i) {
              var on = i === index;
              a.setAttribute('aria-selected', on ? 'true' : 'false');
              a.setAttribute('tabindex', on ? '0' : '-1');
              if (panels[i]) { panels[i].hidden = !on; }
            });
            if (focus) { links[index].focus(); }
          }
          links.forEach(function (a, i) {
            a.setAttribute('role', 'tab');
            a.id = a.id || ('tab-' + i);
            if (panels[i]) {
              panels[i].setAttribute('role', 'tabpanel');
              panels[i].setAttribute('aria-labelledby', a.id);
              panels[i].setAttribute('tabindex', '0');
            }
            a.addEventListener('click', function (event) {
              event.preventDefault();
              select(i, false);
              if (history.replaceState) { history.replaceState(null, '', a.getAttribute('href')); }
            });
            a.addEventListener('keydown', function (event) {
              if (event.key === 'ArrowRight') { select((i + 1) % links.length, true); event.preventDefault(); }
              if (event.key === 'ArrowLeft') { select((i - 1 + links.length) % links.length, true); event.preventDefault(); }
            });
          });
          var wanted = links.findIndex(function (a) { return a.getAttribute('href') === location.hash; });
          var preset = list.getAttribute('data-tabs');
          if (wanted < 0 && preset) {
            wanted = links.findIndex(function (a) { return a.getAttribute('href') === '#' + preset; });
          }
          select(wanted < 0 ? 0 : wanted, false);
        }

        // Bulk arrival: one box ticks or clears every case.
        var all = document.querySelector('[data-check-all]');
        if (all) {
          all.hidden = false;
          all.querySelector('input').addEventListener('change', function (event) {
            var boxes = document.querySelectorAll('input[name="' + all.getAttribute('data-check-all') + '"]');
            Array.prototype.forEach.call(boxes, function (box) { box.checked = event.target.checked; });
          });
        }

        // Payout form: the bank fields only matter for a bank transfer.
        var payout = document.querySelector('[data-payout-method]');
        if (payout) {
          var bank = document.querySelector('[data-bank-fields]');
          var update = function () { if (bank) { bank.hidden = payout.value !== 'bank_transfer'; } };
          payout.addEventListener('change', update);
          update();
        }
      });
    })();
    """
}

extension StaffAssets {
    /// GET /assets/{name}: the console's stylesheet and script, and the documents' print styles.
    /// Holds nothing private, so it may be served before the session check (the login page uses it).
    static func response(name: String) -> StaffResponse? {
        if name == "document.css" {
            return StaffResponse(status: 200, headers: [("Content-Type", "text/css; charset=utf-8")],
                                 body: Array(CaseDocument.stylesheet.utf8))
        }
        guard let asset = asset(named: name) else { return nil }
        return StaffResponse(status: 200, headers: [("Content-Type", asset.contentType)], body: Array(asset.body.utf8))
    }
}
