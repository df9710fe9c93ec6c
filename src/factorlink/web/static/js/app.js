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
  // The first invalid field gets the focus, so the inline message is read out.
  var invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) { invalid.focus(); }
})();
