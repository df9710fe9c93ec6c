// The live lot page: follows the lot's event stream, counts down, asks the bidder to confirm a
// bid (the amount in 万元 and in 元; a warning above twice the current price), and posts it with
// an Idempotency-Key (a retry after a dropped connection reuses it, so it never bids twice).
// Without JavaScript the form posts to the page's own confirmation step instead.
(function () {
  "use strict";
  var root = document.getElementById("lot");
  if (!root) { return; }
  var lot = JSON.parse(root.getAttribute("data-lot"));
  var offset = 0; // server clock minus ours, in ms
  var BEIJING = 8 * 3600 * 1000; // UTC+8, no daylight saving
  var WARN_FACTOR = 2;
  var $ = function (id) { return document.getElementById(id); };
  var t = function (key) { return root.getAttribute("data-t-" + key) || key; };

  function money(value) {
    if (value === null || value === undefined) { return "—"; }
    return value >= 100 ? Math.round(value).toLocaleString("en-US")
      : String(Math.round(value * 100) / 100);
  }
  function set(id, text) { var el = $(id); if (el) { el.textContent = text; } }
  function reveal(id, shown) { var el = $(id); if (el) { el.hidden = !shown; } }
  // "2026-12-05 10:00:00" in Beijing time, from an ISO 8601 time in UTC.
  function beijing(iso) {
    return new Date(Date.parse(iso) + BEIJING).toISOString().replace("T", " ").slice(0, 19);
  }

  function history() {
    var list = $("bids");
    if (!list) { return; }
    fetch("/api/v1/lots/" + lot.id + "/bids", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (bids) {
        list.textContent = "";
        bids.slice(0, 10).forEach(function (bid) {
          var item = document.createElement("li");
          var who = document.createElement("strong");
          who.textContent = bid.label;
          item.appendChild(who);
          var me = bid.mine ? " (" + list.getAttribute("data-me") + ")" : "";
          item.appendChild(document.createTextNode(me + " · " + money(bid.price_wan) + " · " +
            beijing(bid.placed_at).slice(11) + " " + t("beijing")));
          list.appendChild(item);
        });
      });
  }

  function currentPrice() {
    return lot.price_wan !== null ? lot.price_wan : lot.start_price_wan;
  }

  function priceLabel() {
    if (lot.result) { return t(lot.result.sold ? "hammer-price" : "top-price"); }
    return t(lot.price_wan !== null ? "current-price" : "start-price");
  }

  function clearAccepted() {
    var message = $("bid-message");
    if (message && message.getAttribute("data-ok") === "true") {
      message.textContent = "";
      message.removeAttribute("data-ok");
    }
  }

  function showResult() {
    var result = lot.result;
    if (!result) { return; }
    set("result", result.sold
      ? t("hammer-price") + " " + money(result.hammer_price_wan) + " " + t("wan") + " · " +
        t("buyer") + " " + result.winner_label
      : t("unsold"));
    var form = $("bid-form");
    if (form) { form.hidden = true; form.querySelector("button").disabled = true; }
    reveal("bid-hints", false);
    var mine = lot.mine ? lot.mine.status : "none";
    reveal("won", mine === "won");
    reveal("lost-sold", result.sold && (mine === "lost" || mine === "outbid"));
    reveal("lost-unsold", !result.sold && mine !== "none");
  }

  function show(next) {
    var changed = next.bid_count !== lot.bid_count;
    var wasLeading = lot.mine && lot.mine.status === "leading";
    lot = next;
    if (changed) { history(); }
    offset = Date.parse(lot.server_time) - Date.now();
    root.setAttribute("data-status", lot.status);
    set("price-label", priceLabel());
    set("price", money(lot.price_wan === null && lot.result ? null : currentPrice()));
    set("leader-label", t(lot.result && lot.result.sold ? "buyer" : "leader"));
    set("leader", (lot.result ? lot.result.winner_label : lot.leader_label) || "—");
    set("status", t(lot.status));
    set("bid-count", String(lot.bid_count));
    set("extensions", String(lot.extension_count));
    set("next-min", money(lot.next_minimum_wan));
    set("increment", money(lot.increment_wan));
    var end = $("end-at");
    if (end) { end.setAttribute("datetime", lot.end_at); end.textContent = beijing(lot.end_at) + " " + t("beijing"); }
    if (lot.mine) {
      var mine = $("my-status");
      if (mine) { mine.setAttribute("data-status", lot.mine.status); mine.textContent = t(lot.mine.status); }
      set("my-max", money(lot.mine.max_wan));
      // "出价成功" no longer says where the bidder stands once someone outbids them.
      if (wasLeading && lot.mine.status === "outbid") { clearAccepted(); }
    }
    var amount = $("amount");
    if (amount && lot.next_minimum_wan !== null && document.activeElement !== amount &&
        (amount.value === "" || Number(amount.value) < lot.next_minimum_wan)) {
      amount.value = lot.next_minimum_wan;
    }
    if (lot.status === "closed" || lot.status === "closing") { clearAccepted(); }
    showResult();
    tick();
  }

  function tick() {
    // An upcoming lot counts down to its opening, an open one to its end.
    var upcoming = lot.status === "upcoming";
    set("countdown-label", t(upcoming ? "to-start" : "time-left"));
    var left = Date.parse(upcoming ? lot.opens_at : lot.end_at) - (Date.now() + offset);
    if (lot.status === "closed" || left <= 0) { set("countdown", "00:00:00"); return; }
    var s = Math.floor(left / 1000);
    var hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    set("countdown", pad(hh) + ":" + pad(mm) + ":" + pad(ss));
  }

  function newKey() {
    // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(form, amount, key, tries) {
    var message = $("bid-message");
    return fetch(form.getAttribute("data-url"), {
      method: "POST",
      credentials: "same-origin",
      // The session cookie alone does not authorise a write: the page's token goes along.
      headers: { "Content-Type": "application/json", "Idempotency-Key": key, "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ amount_wan: amount })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 503 && tries < 5) { return post(form, amount, key, tries + 1); }
        var reason = body.errors && body.errors[0] ? body.errors[0] : null;
        var english = document.documentElement.lang === "en";
        message.textContent = response.ok ? t("accepted")
          : (reason ? (english ? reason.reason_en : reason.reason) : (english && body.detail_en ? body.detail_en : body.detail));
        message.setAttribute("data-ok", response.ok ? "true" : "false");
      });
    }, function () {
      if (tries >= 5) { return; }
      message.textContent = t("retry");
      return new Promise(function (resolve) { setTimeout(resolve, 1000); })
        .then(function () { return post(form, amount, key, tries + 1); });
    });
  }

  // Asks the bidder to look at the amount again: in 万元 as typed, in 元, and a warning when it
  // is more than twice the current price (310 typed as 3100). Calls `go` once confirmed.
  function confirmBid(amount, go) {
    var dialog = $("bid-dialog");
    var current = currentPrice();
    var warn = amount > WARN_FACTOR * current;
    var yuan = Math.round(amount * 10000).toLocaleString("en-US");
    if (!dialog || typeof dialog.showModal !== "function") {
      var text = amount + " " + t("wan") + " = " + yuan + " " + t("yuan");
      if (window.confirm(text)) { go(); }
      return;
    }
    set("confirm-wan", String(amount));
    set("confirm-yuan", yuan);
    set("confirm-current", money(current));
    reveal("confirm-warn", warn);
    dialog.returnValue = "";
    dialog.addEventListener("close", function once() {
      dialog.removeEventListener("close", once);
      if (dialog.returnValue === "confirm") { go(); }
    });
    dialog.showModal();
  }

  var form = $("bid-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var amount = Number($("amount").value);
      var button = form.querySelector("button");
      if (!(amount > 0)) { $("amount").focus(); return; }
      confirmBid(amount, function () {
        button.disabled = true;
        post(form, amount, newKey(), 0).then(function () {
          button.disabled = lot.status === "closed";
        });
      });
    });
  }

  show(lot);
  setInterval(tick, 250);
  if (window.EventSource) {
    var source = new EventSource("/api/v1/lots/" + lot.id + "/events");
    source.addEventListener("lot", function (event) { show(JSON.parse(event.data)); });
  }
})();
