/* Table and list editors: an "add a row" button under each <table data-rows>. Without
   JavaScript the blank rows the server adds do the same job. */
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;

  function addRow(table) {
    var body = table.tBodies[0];
    var last = body.rows[body.rows.length - 1];
    var prefix = table.getAttribute("data-rows");
    var next = 0;
    Array.prototype.forEach.call(body.querySelectorAll("[name]"), function (input) {
      var match = input.name.slice(prefix.length).match(/^-(\d+)/);
      if (match) { next = Math.max(next, parseInt(match[1], 10) + 1); }
    });
    var row = last.cloneNode(true);
    Array.prototype.forEach.call(row.querySelectorAll("[name]"), function (input) {
      input.name = input.name.replace(new RegExp("^" + prefix + "-\\d+"), prefix + "-" + next);
      if (input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
      input.removeAttribute("aria-invalid");
      var label = input.getAttribute("aria-label");
      if (label) { input.setAttribute("aria-label", label.replace(/\d+$/, String(next + 1))); }
    });
    Array.prototype.forEach.call(row.querySelectorAll(".cell-error"), function (e) { e.remove(); });
    Array.prototype.forEach.call(row.querySelectorAll(".invalid"), function (cell) {
      cell.classList.remove("invalid");
    });
    row.cells[0].textContent = String(next + 1);
    body.appendChild(row);
    var first = row.querySelector("textarea, input[type=text]");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-rows]"), function (table) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "add-row";
      button.textContent = zh ? "＋ 添加一行" : "+ Add a row";
      button.addEventListener("click", function () { addRow(table); });
      var holder = table.closest(".table-scroll") || table;
      holder.parentNode.insertBefore(button, holder.nextSibling);
    });
  });
})();
