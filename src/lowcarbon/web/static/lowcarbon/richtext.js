/* Rich-text editor for the plan's narrative: hand-written, no library, no CDN.
   Each <textarea data-richtext> becomes a contenteditable area with a toolbar (bold, italic,
   headings h3/h4, paragraph, bullet and numbered lists). On submit the HTML goes back into the
   textarea and <name>__format=html tells the server to sanitise it as HTML. Without JavaScript
   the textarea stays and sends plain text. The server sanitises whatever arrives. */
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var TOOLS = [
    ["bold", null, zh ? "加粗" : "Bold", "B"],
    ["italic", null, zh ? "斜体" : "Italic", "I"],
    ["formatBlock", "h3", zh ? "标题" : "Heading", "H3"],
    ["formatBlock", "h4", zh ? "小标题" : "Subheading", "H4"],
    ["formatBlock", "p", zh ? "正文" : "Paragraph", zh ? "正文" : "¶"],
    ["insertUnorderedList", null, zh ? "项目符号列表" : "Bullet list", "•"],
    ["insertOrderedList", null, zh ? "编号列表" : "Numbered list", "1."]
  ];
  var TAG = /<[a-zA-Z\/!]/;

  function plainToHtml(text) {
    var div = document.createElement("div");
    return text.split(/\n\s*\n/).filter(function (b) { return b.trim(); }).map(function (block) {
      div.textContent = block.trim();
      return "<p>" + div.innerHTML.replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }

  function setup(textarea) {
    var label = textarea.id ? document.querySelector('label[for="' + textarea.id + '"]') : null;
    var area = document.createElement("div");
    area.className = "richtext-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || textarea.id + "-label";
      area.setAttribute("aria-labelledby", label.id);
    }
    var value = textarea.value;
    // The server sends back sanitised HTML, or plain text typed without the editor.
    area.innerHTML = TAG.test(value) ? value : plainToHtml(value);
    var toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar";
    toolbar.setAttribute("role", "toolbar");
    TOOLS.forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = tool[3];
      button.title = tool[2];
      button.setAttribute("aria-label", tool[2]);
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        area.focus();
        document.execCommand(tool[0], false, tool[1] ? "<" + tool[1] + ">" : null);
      });
      toolbar.appendChild(button);
    });
    // Pasted Word or web pages bring styles and links: paste as plain text.
    area.addEventListener("paste", function (event) {
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      document.execCommand("insertText", false, text);
    });
    var format = document.createElement("input");
    format.type = "hidden";
    format.name = textarea.name + "__format";
    format.value = "html";
    textarea.hidden = true;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(area, textarea);
    textarea.parentNode.insertBefore(format, textarea);
    textarea.form.addEventListener("submit", function () {
      textarea.value = area.textContent.trim() ? area.innerHTML : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* old */ }
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-richtext]"), setup);
  });
})();
