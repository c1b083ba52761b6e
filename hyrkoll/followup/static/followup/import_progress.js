/* Progress of a running import: polls the status URL every second and updates the <progress>
   element and its aria-live text; reloads the page when the import has finished, so the result
   and any errors are shown. Without JavaScript the page has a refresh link instead. */
(function () {
  "use strict";
  var root = document.querySelector("[data-import-status-url]");
  if (!root || root.hasAttribute("data-finished")) {
    return;
  }
  var url = root.getAttribute("data-import-status-url");
  var bar = root.querySelector("progress");
  var text = root.querySelector("[data-progress-text]");
  var lastAnnounced = -1;

  function update(data) {
    if (bar) {
      bar.value = data.progress_pct;
      bar.textContent = data.progress_pct + " %";
    }
    // Announce in steps of ten per cent, not every second, so a screen reader is not flooded.
    var step = Math.floor(data.progress_pct / 10);
    if (text && (step !== lastAnnounced || data.finished)) {
      lastAnnounced = step;
      text.textContent = data.text;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        update(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
