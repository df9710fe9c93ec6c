// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Filter forms: changing a select submits, so keyboard users still have the button.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
  // Search forms leave blank filters out of the address, so it stays short and shareable.
  document.querySelectorAll("form[method=get]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.name && field.value === "") { field.disabled = true; }
      });
    });
  });
  // Forms that confirm before a consequential step (signing a deal, closing).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // On a phone, filters nobody has chosen fold away so the results come first.
  if (window.matchMedia("(max-width: 760px)").matches) {
    document.querySelectorAll("details[data-narrow-closed]").forEach(function (box) {
      var chosen = Array.prototype.some.call(box.querySelectorAll("select, input"), function (f) {
        return f.name !== "sort" && f.value !== "";
      });
      if (!chosen && !box.querySelector("[aria-invalid=true]")) { box.open = false; }
    });
  }
  // Industry fields say what the words typed are matched as (汽车零部件 → 新能源汽车/…), as one
  // types; the words themselves are sent as typed.
  document.querySelectorAll("input[data-industry-hint]").forEach(function (input) {
    var out = document.getElementById(input.getAttribute("data-industry-hint"));
    var timer = null;
    if (!out || !window.fetch) { return; }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var asked = input.value;
        window.fetch("/post/industry-hint?q=" + encodeURIComponent(asked.slice(0, 300)), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
          if (body && input.value === asked) {
            out.textContent = body.text;
            out.hidden = !body.text;
          }
        }).catch(function () { /* the hint is a help, never a need */ });
      }, 250);
    });
  });
  // The first invalid field gets the focus, so the inline message is read out.
  var invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) { invalid.focus(); }
})();
