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

  // The municipality field as a combobox with a listbox popup (WAI-ARIA APG, "editable
  // combobox with list autocomplete"): typing filters the names and codes, Down/Up move
  // through them (Alt+Down opens), Enter takes the one shown as active, Escape closes the
  // list (or empties the field when it is closed). Focus stays in the field throughout
  // (aria-activedescendant). Without JavaScript the field is a plain text input.
  function fold(text) {
    return text.toLocaleLowerCase("sv").normalize("NFC").trim();
  }

  function comboboxes() {
    document.querySelectorAll("input[data-combobox]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("data-combobox"));
      if (!list) return;
      var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
      var label = input.id ? document.querySelector("label[for='" + input.id + "']") : null;
      var wrapper = input.parentNode;
      wrapper.classList.add("combobox");
      input.insertAdjacentElement("afterend", list);
      if (label) {
        if (!label.id) label.id = input.id + "-label";
        list.setAttribute("aria-labelledby", label.id);
      }
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("aria-controls", list.id);
      var active = -1;

      function shown() {
        return options.filter(function (o) { return !o.hidden; });
      }
      function filter() {
        var q = fold(input.value);
        options.forEach(function (o) {
          var name = fold(o.getAttribute("data-value"));
          var match = !q || name.indexOf(q) === 0 || o.getAttribute("data-code").indexOf(q) === 0 ||
            name.split(/[\s-]+/).some(function (w) { return w.indexOf(q) === 0; });
          o.hidden = !match;
        });
      }
      function setActive(option) {
        options.forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
        if (option) {
          input.setAttribute("aria-activedescendant", option.id);
          option.scrollIntoView({ block: "nearest" });
        } else {
          input.removeAttribute("aria-activedescendant");
        }
        active = option ? shown().indexOf(option) : -1;
      }
      function open() {
        if (!shown().length) { close(); return; }
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      function close() {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
        setActive(null);
      }
      function choose(option) {
        input.value = option.getAttribute("data-value");
        close();
      }
      function move(step) {
        var visible = shown();
        if (!visible.length) return;
        var next = active < 0 ? (step > 0 ? 0 : visible.length - 1) : (active + step + visible.length) % visible.length;
        setActive(visible[next]);
      }

      input.addEventListener("input", function () {
        filter();
        setActive(null);
        if (input.value.trim()) open(); else close();
      });
      input.addEventListener("keydown", function (event) {
        var isOpen = !list.hidden;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          if (!isOpen) {
            filter();
            open();
            if (event.altKey) return;
          }
          move(event.key === "ArrowDown" ? 1 : -1);
        } else if (event.key === "Enter") {
          var option = shown()[active];
          if (isOpen && option) {
            event.preventDefault();
            choose(option);
          }
        } else if (event.key === "Escape") {
          if (isOpen) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
          }
        } else if (event.key === "Tab") {
          close();
        }
      });
      input.addEventListener("blur", close);
      // mousedown would take focus from the field (and close the list) before the click
      list.addEventListener("mousedown", function (event) { event.preventDefault(); });
      list.addEventListener("click", function (event) {
        var option = event.target.closest("[role=option]");
        if (option) { choose(option); input.focus(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    comboboxes();
    locateButtons();
    copyButtons();
    printButtons();
  });
})();
