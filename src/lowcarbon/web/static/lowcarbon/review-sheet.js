// The expert's score sheet: every item is saved as soon as it changes, through the same action
// as its "保存第N项" button, and "已保存" or "保存失败" (with the reasons) shows beside it.
// Without this file the sheet works the same: its buttons post the whole form.
(function () {
  "use strict";

  var sheet = document.getElementById("score-sheet");
  if (!sheet || !window.fetch || !window.FormData) { return; }

  var texts = {
    saving: sheet.getAttribute("data-saving") || "…",
    offline: sheet.getAttribute("data-offline") || "",
  };
  var queue = Promise.resolve();
  var pending = {};

  function csrf() {
    var field = sheet.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  function version() {
    var field = sheet.querySelector('input[name="version"]');
    return field ? field.value : "";
  }

  function setVersion(value) {
    // The sheet, "以申报单位自评分为起点" and "提交我的评分" all post the version they saw.
    document.querySelectorAll('input[name="version"]').forEach(function (field) {
      field.value = String(value);
    });
  }

  function fields(box) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    data.append("version", version());
    box.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (field) {
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) { return; }
      if (field.type === "submit" || field.type === "button") { return; }
      data.append(field.name, field.value);
    });
    return data;
  }

  function show(box, state, message, problems) {
    var place = box.querySelector(".save-state");
    if (!place) { return; }
    place.className = "save-state " + state;
    place.textContent = message;
    var list = box.querySelector(".save-problems");
    if (list) { list.remove(); }
    if (problems && problems.length) {
      list = document.createElement("ul");
      list.className = "errorlist save-problems";
      problems.forEach(function (problem) {
        var line = document.createElement("li");
        line.textContent = problem;
        list.appendChild(line);
      });
      place.parentNode.insertAdjacentElement("afterend", list);
    }
  }

  function markScored(box, text) {
    var article = box.closest("article");
    var tag = article ? article.querySelector(".item-score .tag") : null;
    if (tag && sheet.getAttribute("data-scored")) {
      tag.textContent = sheet.getAttribute("data-scored");
      tag.classList.add("scored");
    }
    var count = document.getElementById("scored-count");
    if (count && text) { count.textContent = text; }
  }

  function save(box) {
    var item = box.getAttribute("data-item");
    pending[item] = false;
    show(box, "saving", texts.saving, []);
    return fetch(box.getAttribute("data-autosave"), {
      method: "POST",
      body: fields(box),
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (answer.saved) {
          setVersion(answer.version);
          show(box, "saved", answer.message, []);
          markScored(box, answer.scored_text);
        } else {
          show(box, "failed", answer.message, answer.problems || []);
        }
      });
    }).catch(function () {
      show(box, "failed", texts.offline, []);
    });
  }

  var busy = 0;

  function enqueue(box) {
    var item = box.getAttribute("data-item");
    if (pending[item]) { return; }  // already waiting in the queue: it will send the latest
    pending[item] = true;
    busy += 1;
    // One save at a time: each carries the version the previous one returned.
    queue = queue.then(function () { return save(box); }).then(function () { busy -= 1; });
  }

  sheet.addEventListener("change", function (event) {
    var box = event.target.closest(".expert-side[data-autosave]");
    if (box) { enqueue(box); }
  });

  // An item's own button saves that item in place, without reloading the page.
  sheet.addEventListener("click", function (event) {
    var button = event.target.closest('button[name="only"]');
    if (!button) { return; }
    var box = button.closest(".expert-side[data-autosave]");
    if (!box) { return; }
    event.preventDefault();
    enqueue(box);
  });

  // Saving the whole sheet waits for the item saves under way, so it posts the latest version.
  sheet.addEventListener("submit", function (event) {
    if (busy === 0) { return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    queue.then(function () {
      if (submitter && sheet.requestSubmit) { sheet.requestSubmit(submitter); } else { sheet.submit(); }
    });
  });
})();
