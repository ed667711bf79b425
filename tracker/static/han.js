/* Hạn — the little the pages do in the browser; everything works without it.
   A static file (no inline script), so a Content-Security-Policy of script-src 'self' holds. */
(function () {
  "use strict";

  /* On a phone the menu folds behind one button; the button only appears when this runs. */
  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) { return; }
    header.classList.add("has-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("is-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  /* A table wider than its box says so above it, and its box shows a shadow on the hidden side. */
  function markWideTables() {
    var text = document.body.getAttribute("data-scroll-cue") || "";
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("is-scrollable", wide);
      if (wide) { wrap.setAttribute("tabindex", "0"); }
      var cue = wrap.previousElementSibling;
      var hasCue = cue && cue.classList.contains("scroll-cue");
      if (wide && !hasCue) {
        cue = document.createElement("p");
        cue.className = "scroll-cue";
        cue.textContent = text;
        wrap.parentNode.insertBefore(cue, wrap);
      } else if (!wide && hasCue) {
        cue.parentNode.removeChild(cue);
      }
    }
  }

  /* The assignment form offers only the officers of the unit chosen above it. */
  function filterOfficers() {
    var unit = document.getElementById("assign-unit");
    var officer = document.getElementById("assign-officer");
    if (!unit || !officer) { return; }
    function apply() {
      var groups = officer.querySelectorAll("optgroup");
      for (var i = 0; i < groups.length; i++) {
        var mine = groups[i].getAttribute("data-unit") === unit.value;
        groups[i].hidden = !mine;
        groups[i].disabled = !mine;
      }
      var picked = officer.options[officer.selectedIndex];
      if (picked && picked.parentNode.disabled) { officer.value = ""; }
    }
    unit.addEventListener("change", apply);
    apply();
  }

  function ready() {
    setUpMenu();
    filterOfficers();
    markWideTables();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(markWideTables, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
