// Keyboard shortcuts for screening: I = include, E = exclude (needs a reason), M = maybe.
// The buttons stay the real controls; the keys only press them. Each action is announced
// to screen readers through a live region.
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function init() {
    var form = document.querySelector("[data-screen-form]");
    if (!form) return;
    var announce = document.getElementById("screen-announce");
    var reason = form.querySelector("select[name='reason']");
    var buttons = {};
    form.querySelectorAll("button[data-key]").forEach(function (b) { buttons[b.getAttribute("data-key")] = b; });

    function say(text) { if (announce) announce.textContent = text; }

    function press(key) {
      var button = buttons[key];
      if (!button) return false;
      if (key === "e" && reason && !reason.value) {
        say(announce.getAttribute("data-need-reason"));
        reason.focus();
        return true;
      }
      say(button.getAttribute("data-announce") || "");
      if (form.requestSubmit) form.requestSubmit(button); else button.click();
      return true;
    }

    var help = document.getElementById("key-help");
    var helpOpen = document.querySelector("[data-open-key-help]");
    function openHelp() {
      if (!help || help.open) return;
      if (help.showModal) help.showModal(); else help.setAttribute("open", "");
    }
    if (helpOpen) helpOpen.addEventListener("click", openHelp);
    var undo = document.querySelector("[data-undo-form]");

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) return;
      if (help && help.open) return;  // the dialog closes with Escape; no decision meanwhile
      var key = (event.key || "").toLowerCase();
      if (key === "?") { openHelp(); event.preventDefault(); return; }
      if (key === "u" && undo) { undo.requestSubmit ? undo.requestSubmit() : undo.submit(); event.preventDefault(); return; }
      if (key in buttons && press(key)) event.preventDefault();
    });

    if (reason) {
      reason.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && reason.value) {
          event.preventDefault();
          press("e");
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", init);
})();
