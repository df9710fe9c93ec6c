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
// Photo galleries: a tap on a photo opens it large in a lightbox, with the previous and next
// ones a tap or a swipe away; without JavaScript the link opens the photo file itself.
(function () {
  "use strict";
  var section = document.querySelector(".gallery");
  var links = section ? section.querySelectorAll("a[data-gallery]") : [];
  if (!links.length || typeof HTMLDialogElement !== "function") { return; }
  var photos = [];
  links.forEach(function (a) {
    var i = Number(a.getAttribute("data-index"));
    var img = a.querySelector("img");
    if (!photos[i]) { photos[i] = { url: a.href, caption: a.getAttribute("data-caption"), alt: img ? img.alt : "" }; }
  });
  var box = document.createElement("dialog");
  box.className = "lightbox";
  box.innerHTML = '<figure><img alt=""><figcaption></figcaption></figure><div class="lightbox-bar">' +
    '<button type="button" class="button" data-step="-1"></button><span class="lightbox-count"></span>' +
    '<button type="button" class="button" data-step="1"></button>' +
    '<button type="button" class="button primary" data-close></button></div>';
  box.querySelector("[data-step='-1']").textContent = "‹ " + section.getAttribute("data-prev");
  box.querySelector("[data-step='1']").textContent = section.getAttribute("data-next") + " ›";
  box.querySelector("[data-close]").textContent = section.getAttribute("data-close");
  document.body.appendChild(box);
  var shown = 0;
  function show(i) {
    shown = (i + photos.length) % photos.length;
    var p = photos[shown];
    var img = box.querySelector("img");
    img.src = p.url;
    img.alt = p.alt;
    box.querySelector("figcaption").textContent = p.caption || "";
    box.querySelector(".lightbox-count").textContent = (shown + 1) + " / " + photos.length;
    box.querySelectorAll("[data-step]").forEach(function (b) { b.hidden = photos.length < 2; });
  }
  links.forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      show(Number(a.getAttribute("data-index")));
      box.showModal();
    });
  });
  box.addEventListener("click", function (event) {
    var step = event.target.getAttribute("data-step");
    if (step) { show(shown + Number(step)); }
    else if (event.target.hasAttribute("data-close") || event.target === box) { box.close(); }
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(shown - 1); }
    if (event.key === "ArrowRight") { show(shown + 1); }
  });
  var startX = null;
  box.addEventListener("touchstart", function (event) { startX = event.touches[0].clientX; }, { passive: true });
  box.addEventListener("touchend", function (event) {
    if (startX === null) { return; }
    var dx = event.changedTouches[0].clientX - startX;
    startX = null;
    if (Math.abs(dx) > 50) { show(shown + (dx < 0 ? 1 : -1)); }
  });
})();
// A button that deletes asks first (its form's other buttons do not).
document.querySelectorAll("button[data-confirm-click]").forEach(function (button) {
  button.addEventListener("click", function (event) {
    if (!window.confirm(button.getAttribute("data-confirm-click"))) { event.preventDefault(); }
  });
});
