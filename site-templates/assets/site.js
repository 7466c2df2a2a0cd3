/*
  Kaitori customer site: progressive enhancement only. Every form works without this file; it
  adds item rows, a double-submit nonce, the running total of a partial sale, the signature pad,
  previews of chosen files and the postal-code autofill. No inline code and no third-party requests (CSP default-src 'self').
*/
(function () {
  'use strict';

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function checkedValue(radios) {
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].checked) return radios[i].value;
    }
    return '';
  }

  function yen(amount) {
    return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '円';
  }

  // A random value per page load: the handler stores one case per value, so a double click or a
  // reloaded POST does not create a second case. A value kept from a 422 answer is reused.
  function initSubmissionID() {
    all('[data-submission-id]').forEach(function (input) {
      if (input.value || !window.crypto || !window.crypto.getRandomValues) return;
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      input.value = Array.prototype.map.call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2);
      }).join('');
    });
  }

  // Submitting twice while the first request is on its way would only wait twice as long.
  function initSingleSubmit() {
    all('form[method="post"]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        if (event.defaultPrevented) return;
        if (form.getAttribute('data-sending') === 'true') {
          event.preventDefault();
          return;
        }
        form.setAttribute('data-sending', 'true');
        all('button[type="submit"]', form).forEach(function (button) {
          button.setAttribute('aria-disabled', 'true');
        });
        // A page restored from the back/forward cache must be sendable again.
        window.addEventListener('pageshow', function () {
          form.removeAttribute('data-sending');
          all('button[type="submit"]', form).forEach(function (button) {
            button.removeAttribute('aria-disabled');
          });
        }, { once: true });
      });
    });
  }

  function initErrorSummary() {
    // The summary sits near the top already; scrolling to it would hide the page heading.
    var summary = document.getElementById('error-summary');
    if (summary) summary.focus({ preventScroll: true });
  }

  // Item rows: the server renders a few; customers add and remove more. Row ids stay unique and are
  // never reused, the visible numbers follow the order (the handler's "N行目" messages count rows).
  function initItemRows() {
    var container = document.querySelector('[data-item-rows]');
    var template = document.getElementById('item-row-template');
    var addButton = document.querySelector('[data-add-item]');
    if (!container || !template || !addButton) return;
    var max = parseInt(container.getAttribute('data-max'), 10) || 30;
    var nextID = container.querySelectorAll('[data-item-row]').length + 1;

    function rows() {
      return all('[data-item-row]', container);
    }

    function refresh() {
      var list = rows();
      list.forEach(function (row, index) {
        var number = row.querySelector('[data-item-number]');
        if (number) number.textContent = String(index + 1);
        var remove = row.querySelector('[data-remove-item]');
        if (remove) remove.hidden = list.length <= 1;
      });
      addButton.hidden = list.length >= max;
    }

    addButton.addEventListener('click', function () {
      if (rows().length >= max) return;
      var holder = document.createElement('div');
      holder.innerHTML = template.innerHTML.replace(/__N__/g, 'new' + nextID);
      nextID += 1;
      var row = holder.querySelector('[data-item-row]');
      if (!row) return;
      container.appendChild(row);
      refresh();
      var first = row.querySelector('select, input');
      if (first) first.focus();
    });

    container.addEventListener('click', function (event) {
      var button = event.target.closest('[data-remove-item]');
      if (!button) return;
      var row = button.closest('[data-item-row]');
      var list = rows();
      if (!row || list.length <= 1) return;
      var next = list[list.indexOf(row) + 1] || list[list.indexOf(row) - 1];
      row.parentNode.removeChild(row);
      refresh();
      var focus = next && next.querySelector('select, input');
      (focus || addButton).focus();
    });

    refresh();
  }

  // The bank account fields matter only for bank transfer; without script they stay visible.
  function initPayout() {
    var bank = document.querySelector('[data-bank-fields]');
    var radios = all('input[name="payout"]');
    if (!bank || radios.length === 0) return;
    var method = bank.getAttribute('data-bank-method');
    function update() {
      bank.hidden = checkedValue(radios) !== method;
    }
    radios.forEach(function (radio) {
      radio.addEventListener('change', update);
    });
    update();
  }

  // Review page: ticking an item selects "sell part"; the total of what would be sold follows the
  // ticks. The handler recomputes the total from its own prices; this is only a convenience.
  function initReview() {
    var form = document.querySelector('[data-review-form]');
    if (!form) return;
    var radios = all('input[name="decision"]', form);
    var boxes = all('[data-decline]', form);
    var partBox = form.querySelector('[data-running-total]');
    var output = form.querySelector('[data-running-total-value]');

    function update() {
      var part = checkedValue(radios) === 'part';
      var total = 0;
      all('[data-item]', form).forEach(function (item) {
        var box = item.querySelector('[data-decline]');
        var declined = part && box && box.checked;
        item.classList.toggle('is-declined', !!declined);
        if (!declined) total += parseInt(item.getAttribute('data-subtotal'), 10) || 0;
      });
      if (output) output.textContent = yen(total);
      if (partBox) partBox.hidden = !part;
    }

    boxes.forEach(function (box) {
      box.addEventListener('change', function () {
        if (box.checked) {
          radios.forEach(function (radio) {
            radio.checked = radio.value === 'part';
          });
        }
        update();
      });
    });
    radios.forEach(function (radio) {
      radio.addEventListener('change', function () {
        if (radio.checked && radio.value !== 'part') {
          boxes.forEach(function (box) {
            box.checked = false;
          });
        }
        update();
      });
    });
    update();
  }

  // ID page: the back side is asked for only for ID types that have one.
  function initIDType() {
    var select = document.querySelector('select[name="id_type"]');
    var backField = document.getElementById('f-id-back-field');
    if (!select || !backField) return;
    function update() {
      var option = select.options[select.selectedIndex];
      backField.hidden = !!(option && option.value && option.getAttribute('data-back') !== 'true');
    }
    select.addEventListener('change', update);
    update();
  }

  // Previews are drawn on a canvas from the file itself: blob: and data: image URLs are blocked by
  // the site's CSP, createImageBitmap needs neither.
  function initFilePreviews() {
    all('input[type="file"][data-preview]').forEach(function (input) {
      var target = document.getElementById(input.getAttribute('data-preview'));
      var form = input.closest('form');
      var maxMB = form ? parseInt(form.getAttribute('data-max-file-mb'), 10) : 0;
      if (!target) return;
      input.addEventListener('change', function () {
        target.textContent = '';
        var file = input.files && input.files[0];
        if (!file) {
          target.hidden = true;
          return;
        }
        var caption = document.createElement('p');
        caption.textContent = file.name + '（' + (file.size / 1024 / 1024).toFixed(1) + 'MB）';
        target.appendChild(caption);
        if (maxMB && file.size > maxMB * 1024 * 1024) {
          var warning = document.createElement('p');
          warning.className = 'file-preview__warning';
          warning.textContent = 'ファイルが大きすぎます。' + maxMB + 'MB以内のファイルを選んでください。';
          target.appendChild(warning);
        }
        target.hidden = false;
        if (/^image\/(jpeg|png)$/.test(file.type) && window.createImageBitmap) {
          window.createImageBitmap(file).then(function (bitmap) {
            var scale = Math.min(1, 480 / bitmap.width);
            var canvas = document.createElement('canvas');
            canvas.width = Math.round(bitmap.width * scale);
            canvas.height = Math.round(bitmap.height * scale);
            canvas.setAttribute('role', 'img');
            canvas.setAttribute('aria-label', '選択した画像のプレビュー');
            canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
            target.insertBefore(canvas, target.firstChild);
          }).catch(function () {});
        }
      });
    });
  }

  // Signature pad: pointer events cover finger, pen and mouse. The drawing goes into the hidden
  // `signature` field as a PNG data URL; the typed name stays available as the alternative.
  // Postal-code autofill from the shop's own shards (/postal/NNN.json, made by `kaitori postal
  // import`): a 7-digit code fills the prefecture and the city and town; a code shared by several
  // towns offers them as buttons. No shard, no match or no fetch: the customer types, as without script.
  function initPostalLookup() {
    var input = document.getElementById('f-postal-code');
    var prefecture = document.getElementById('f-prefecture');
    var address = document.getElementById('f-address');
    if (!input || !prefecture || !address || !window.fetch) return;
    var status = document.createElement('p');
    status.className = 'postal-status';
    status.setAttribute('aria-live', 'polite');
    var choices = document.createElement('div');
    choices.className = 'postal-choices';
    input.parentNode.appendChild(status);
    input.parentNode.appendChild(choices);
    var shards = {};
    var filled = '';
    var looked = '';

    function digits(text) {
      return text.replace(/[\uFF10-\uFF19]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
      }).replace(/[^0-9]/g, '');
    }

    function fill(name, place) {
      prefecture.value = name;
      // Only an empty address, or the one filled before, is replaced: never what the customer typed.
      if (!address.value || address.value === filled) {
        address.value = place[1] + place[2];
        filled = address.value;
      }
      status.textContent = '郵便番号から住所を入力しました：' + name + place[1] + place[2] + '。番地以降を続けてご入力ください。';
    }

    function lookup() {
      var code = digits(input.value);
      if (code.length !== 7 || code === looked) return;
      looked = code;
      var key = code.slice(0, 3);
      if (!shards[key]) {
        shards[key] = fetch('/postal/' + key + '.json', { credentials: 'same-origin' }).then(function (response) {
          return response.ok ? response.json() : null;
        }).catch(function () { return null; });
      }
      shards[key].then(function (shard) {
        if (digits(input.value) !== code) return;
        status.textContent = '';
        choices.textContent = '';
        var places = shard && shard.c && shard.c[code];
        if (!places || !places.length) return;
        if (places.length === 1) {
          fill(shard.p[places[0][0]], places[0]);
          return;
        }
        status.textContent = 'この郵便番号には複数の地域があります。下からお選びください。';
        places.forEach(function (place) {
          var name = shard.p[place[0]];
          var button = document.createElement('button');
          button.type = 'button';
          button.className = 'button button--secondary postal-choice';
          button.textContent = name + place[1] + place[2];
          button.addEventListener('click', function () {
            fill(name, place);
            choices.textContent = '';
            address.focus();
          });
          choices.appendChild(button);
        });
      });
    }

    input.addEventListener('input', lookup);
    input.addEventListener('change', lookup);
  }

  function initSignature() {
    var box = document.querySelector('[data-signature]');
    var input = document.querySelector('[data-signature-value]');
    if (!box || !input) return;
    var canvas = box.querySelector('[data-signature-pad]');
    var clear = box.querySelector('[data-signature-clear]');
    var error = box.querySelector('[data-signature-error]');
    if (!canvas || !canvas.getContext || !window.PointerEvent) return;
    box.hidden = false;
    var context = canvas.getContext('2d');
    var drawing = false;
    var inked = false;
    var last = null;
    var cssWidth = 0;
    var cssHeight = 0;

    function setUp() {
      var rect = canvas.getBoundingClientRect();
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      cssWidth = rect.width;
      cssHeight = rect.height;
      canvas.width = Math.round(rect.width * ratio);
      canvas.height = Math.round(rect.height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.5;
      context.lineCap = 'round';
      context.lineJoin = 'round';
      context.strokeStyle = '#111';
      inked = false;
      input.value = '';
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }

    // Exported at CSS size: a phone's 3x canvas would make a needlessly large upload.
    function exportPNG() {
      var out = document.createElement('canvas');
      out.width = Math.round(cssWidth);
      out.height = Math.round(cssHeight);
      var outContext = out.getContext('2d');
      outContext.fillStyle = '#fff';
      outContext.fillRect(0, 0, out.width, out.height);
      outContext.drawImage(canvas, 0, 0, out.width, out.height);
      return out.toDataURL('image/png');
    }

    canvas.addEventListener('pointerdown', function (event) {
      event.preventDefault();
      try {
        canvas.setPointerCapture(event.pointerId);
      } catch (ignored) {
        // Capture only keeps a stroke that leaves the pad; drawing works without it.
      }
      drawing = true;
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = '#111';
      context.fill();
    });
    canvas.addEventListener('pointermove', function (event) {
      if (!drawing) return;
      var next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
    });
    function finish() {
      if (!drawing) return;
      drawing = false;
      inked = true;
      input.value = exportPNG();
      if (error) error.hidden = true;
    }
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointercancel', finish);
    if (clear) {
      clear.addEventListener('click', function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        inked = false;
        input.value = '';
        canvas.focus();
      });
    }
    // A resized pad would distort the drawing; an empty one is simply set up again.
    window.addEventListener('resize', function () {
      if (!inked && canvas.getBoundingClientRect().width !== cssWidth) setUp();
    });

    var form = box.closest('form');
    var typed = document.querySelector('input[name="signature_name"]');
    if (form) {
      form.addEventListener('submit', function (event) {
        if (inked || (typed && typed.value.trim() !== '')) return;
        event.preventDefault();
        if (error) error.hidden = false;
        canvas.scrollIntoView({ block: 'center' });
      });
    }
    setUp();
  }

  function start() {
    initSubmissionID();
    initErrorSummary();
    initItemRows();
    initPayout();
    initReview();
    initIDType();
    initFilePreviews();
    initSignature();
    initPostalLookup();
    initSingleSubmit();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
