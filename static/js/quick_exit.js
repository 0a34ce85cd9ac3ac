// Quick exit (GOV.UK "Exit this page" pattern). The button always leaves the page.
// Shift pressed three times in a row within two seconds leaves too, but never while focus
// is in a text field (typing "BRIS" takes Shift), and any other key starts the count anew.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    if (tag !== "input") return false;
    var type = (target.getAttribute("type") || "text").toLowerCase();
    return ["button", "checkbox", "radio", "submit", "reset", "image", "file", "range", "color"].indexOf(type) === -1;
  }

  function leave(link) {
    document.body.classList.add("exiting");
    // replace() keeps this page out of the back button's history.
    window.location.replace(link.href);
  }

  function init() {
    var link = document.querySelector("[data-quick-exit-link]");
    if (!link) return;
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift") presses = [];
    }, true);
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") return;
      if (typing(event.target) || typing(document.activeElement)) { presses = []; return; }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) leave(link);
    });
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave(link);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
