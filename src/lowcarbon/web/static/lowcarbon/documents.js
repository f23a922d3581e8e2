// 文件生成: follow the jobs in progress by polling their status; when one finishes, reload
// the page (it then shows the download links, the warnings or the failure). Without
// JavaScript the page offers a refresh link instead.
(function () {
  "use strict";
  var section = document.getElementById("documents");
  if (!section) return;
  var url = section.getAttribute("data-status-url");
  var active = section.querySelectorAll('.document[data-active="1"]');
  if (!url || active.length === 0) return;
  section.querySelectorAll("[data-no-js]").forEach(function (element) {
    element.hidden = true;
  });
  var INTERVAL = 1500;

  function update(item) {
    var card = section.querySelector('.document[data-document="' + item.id + '"]');
    if (!card) return false;
    if (card.getAttribute("data-active") === "1" && !item.active) return true;
    var bar = card.querySelector("progress");
    if (bar) bar.value = item.progress;
    var percent = card.querySelector(".percent");
    if (percent) percent.textContent = item.progress + "%";
    var step = card.querySelector(".step");
    if (step) step.textContent = item.step;
    var state = card.querySelector(".state");
    if (state) state.textContent = item.status_label;
    return false;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var finished = data.documents.map(update).some(Boolean);
        if (finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function () {
        // Signed out or the server is away: show the refresh link again and stop.
        section.querySelectorAll("[data-no-js]").forEach(function (element) {
          element.hidden = false;
        });
      });
  }
  window.setTimeout(poll, INTERVAL);
})();
