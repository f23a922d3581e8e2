// The self-assessment tab. Without this file everything still works: "采纳建议" posts the
// form and the server fills it in; removing a file asks no confirmation.
(function () {
  "use strict";

  function adopt(form) {
    var entries = form.querySelectorAll(".suggestions li[data-criterion]");
    entries.forEach(function (entry) {
      var supports = entry.getAttribute("data-supports") === "1";
      if (entry.getAttribute("data-constraint") === "1") {
        var value = supports ? "yes" : "no";
        var radio = form.querySelector('input[name="constraint_met"][value="' + value + '"]');
        if (radio) { radio.checked = true; }
        return;
      }
      var criterion = entry.getAttribute("data-criterion");
      form.querySelectorAll('input[type="checkbox"][value="' + criterion + '"]').forEach(
        function (box) {
          if (/ticked$/.test(box.name)) { box.checked = supports; }
        }
      );
    });
    var note = form.querySelector(".adopted-note");
    if (note) { note.hidden = false; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.adopt");
    if (!button) { return; }
    event.preventDefault();
    adopt(button.form);
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
