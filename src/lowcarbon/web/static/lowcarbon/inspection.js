// The site inspection checklist: a print button (the page prints without it too, from the
// browser's menu, so it only appears when scripts run).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
