// Baseline data page: while the workbook is uploaded, read and computed (a request that can
// take several seconds), show "正在导入并核算…" and stop a second submission. Without
// JavaScript the form still works; only the indicator is missing.
(function () {
  "use strict";
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.busy === "1") {
        event.preventDefault();
        return;
      }
      var indicator = document.getElementById(form.dataset.progress);
      if (indicator) {
        indicator.hidden = false;
      }
      form.dataset.busy = "1";
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    });
  });
  // Coming back with the browser's back button restores the page from its cache: reset it.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-progress]").forEach(function (form) {
      delete form.dataset.busy;
      form.removeAttribute("aria-busy");
      var indicator = document.getElementById(form.dataset.progress);
      if (indicator) {
        indicator.hidden = true;
      }
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();
