// The live lot page: follows the lot's event stream, counts down, and posts bids with an
// Idempotency-Key (a retry after a dropped connection reuses it, so it never bids twice).
(function () {
  "use strict";
  var root = document.getElementById("lot");
  if (!root) { return; }
  var lot = JSON.parse(root.getAttribute("data-lot"));
  var offset = 0; // server clock minus ours, in ms
  var $ = function (id) { return document.getElementById(id); };
  var t = function (key) { return root.getAttribute("data-t-" + key) || key; };

  function money(value) {
    if (value === null || value === undefined) { return "—"; }
    return value >= 100 ? Math.round(value).toLocaleString("en-US")
      : String(Math.round(value * 100) / 100);
  }
  function set(id, text) { var el = $(id); if (el) { el.textContent = text; } }

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
            bid.placed_at.slice(11, 19) + " UTC"));
          list.appendChild(item);
        });
      });
  }

  function show(next) {
    var changed = next.bid_count !== lot.bid_count;
    lot = next;
    if (changed) { history(); }
    offset = Date.parse(lot.server_time) - Date.now();
    set("price", money(lot.price_wan));
    set("leader", lot.leader_label || "—");
    set("status", t(lot.status));
    set("bid-count", String(lot.bid_count));
    set("extensions", String(lot.extension_count));
    set("next-min", money(lot.next_minimum_wan));
    set("increment", money(lot.increment_wan));
    var end = $("end-at");
    if (end) { end.setAttribute("datetime", lot.end_at); end.textContent = lot.end_at.replace("T", " ").slice(0, 19) + " UTC"; }
    if (lot.mine) {
      var mine = $("my-status");
      if (mine) { mine.setAttribute("data-status", lot.mine.status); mine.textContent = t(lot.mine.status); }
      set("my-max", money(lot.mine.max_wan));
    }
    var amount = $("amount");
    if (amount && lot.next_minimum_wan !== null && document.activeElement !== amount &&
        (amount.value === "" || Number(amount.value) < lot.next_minimum_wan)) {
      amount.value = lot.next_minimum_wan;
    }
    if (lot.result) {
      set("result", lot.result.sold ? money(lot.result.hammer_price_wan) + " · " + lot.result.winner_label : t("unsold"));
      var form = $("bid-form");
      if (form) { form.querySelector("button").disabled = true; }
    }
    tick();
  }

  function tick() {
    var left = Date.parse(lot.end_at) - (Date.now() + offset);
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
        message.textContent = response.ok ? t("accepted") : (document.documentElement.lang === "en" && body.detail_en ? body.detail_en : body.detail);
        message.setAttribute("data-ok", response.ok ? "true" : "false");
      });
    }, function () {
      if (tries >= 5) { return; }
      message.textContent = t("retry");
      return new Promise(function (resolve) { setTimeout(resolve, 1000); })
        .then(function () { return post(form, amount, key, tries + 1); });
    });
  }

  var form = $("bid-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      post(form, Number($("amount").value), newKey(), 0).then(function () {
        button.disabled = lot.status === "closed";
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
