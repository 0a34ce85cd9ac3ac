// facit: small progressive enhancements. Everything works without JavaScript.
(function () {
  "use strict";

  // The quick exit lives in quick_exit.js (loaded by includes/quick_exit.html).

  // Copy a block of text to the clipboard (e.g. a referral summary).
  function copyButtons() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target || !navigator.clipboard) return;
        navigator.clipboard.writeText(target.innerText).then(function () {
          var status = document.getElementById(button.getAttribute("data-copy-status"));
          if (status) status.textContent = button.getAttribute("data-copied-text") || "";
        });
      });
    });
  }

  // Print buttons.
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // "Search near my position": the browser asks the person; the position goes only into
  // this search's address (GET), never stored by facit.
  function locateButtons() {
    document.querySelectorAll("[data-locate]").forEach(function (button) {
      if (!navigator.geolocation) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var form = button.closest("form");
        var status = document.getElementById(button.getAttribute("data-locate-status"));
        navigator.geolocation.getCurrentPosition(function (position) {
          form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(4);
          form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(4);
          var municipality = form.querySelector("[name=municipality]");
          if (municipality) municipality.value = "";
          form.submit();
        }, function () {
          if (status) status.textContent = button.getAttribute("data-locate-error") || "";
        }, { timeout: 10000, maximumAge: 600000 });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    locateButtons();
    copyButtons();
    printButtons();
  });
})();
