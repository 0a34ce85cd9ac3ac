// The map as a PNG image: fetches the map's SVG download, draws it on a canvas at twice its
// size and saves the canvas. Progressive enhancement: the button stays hidden without
// JavaScript (the SVG link is always there). Works under the site's CSP: this file is
// loaded with the page's nonce, and the SVG is drawn from a data: URL (img-src allows it).
(function () {
  "use strict";
  var button = document.querySelector("[data-map-png]");
  if (!button || !window.HTMLCanvasElement || !window.fetch) {
    return;
  }
  var status = document.querySelector("[data-map-png-status]");
  function say(text) {
    if (status) {
      status.textContent = text || "";
    }
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    say(button.dataset.working);
    fetch(button.dataset.svgUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (svg) {
        return new Promise(function (resolve, reject) {
          var image = new Image();
          image.onload = function () {
            resolve(image);
          };
          image.onerror = reject;
          image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
        });
      })
      .then(function (image) {
        var scale = 2;
        var canvas = document.createElement("canvas");
        canvas.width = image.naturalWidth * scale;
        canvas.height = image.naturalHeight * scale;
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(resolve, "image/png");
        });
      })
      .then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = button.dataset.filename;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () {
          URL.revokeObjectURL(link.href);
        }, 10000);
        say("");
      })
      .catch(function () {
        say(button.dataset.failed);
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
