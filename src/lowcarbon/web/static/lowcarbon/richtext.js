/* Rich-text editor for the plan's narrative: hand-written, no library, no CDN.
   Each <textarea data-richtext> becomes a contenteditable area with a toolbar (bold, italic,
   headings h3/h4, paragraph, bullet and numbered lists). On submit the HTML goes back into the
   textarea and <name>__format=html tells the server to sanitise it as HTML. Without JavaScript
   the textarea stays and sends plain text. The server sanitises whatever arrives.
   Nothing typed is ever given to the browser as HTML: the textarea's value (after a refused
   save it is what the person sent, not what the server cleaned) is read tag by tag through
   the same allowlist as the server's sanitiser and built with createElement/createTextNode. */
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
  // lowcarbon.web.applications.narrative.TAGS (div becomes p there too); cells keep their span.
  var ALLOWED = {
    p: "p", br: "br", strong: "strong", b: "b", em: "em", i: "i", h3: "h3", h4: "h4",
    ul: "ul", ol: "ol", li: "li", table: "table", thead: "thead", tbody: "tbody", tr: "tr",
    th: "th", td: "td", div: "p"
  };
  // Elements whose content is not text to keep (the server's sanitiser drops it as well).
  var DROPPED = { script: 1, style: 1, template: 1, noscript: 1, iframe: 1, object: 1,
    embed: 1, svg: 1, math: 1, textarea: 1, title: 1, select: 1 };
  var TOKEN = /<!--[\s\S]*?-->|<!?(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g;
  var SPAN = /\b(colspan|rowspan)\s*=\s*["']?([0-9]{1,3})\b/gi;
  var ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos|nbsp));/g;
  var NAMED = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

  function decode(text) {
    return text.replace(ENTITY, function (whole, hex, decimal, name) {
      if (name) { return NAMED[name]; }
      var code = hex ? parseInt(hex, 16) : parseInt(decimal, 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code) : whole;
    });
  }

  function addText(parent, text) {
    if (text) { parent.appendChild(document.createTextNode(decode(text))); }
  }

  // The stored or returned narrative into the editing area. It is read as a list of tags and
  // texts, never handed to the browser's HTML parser: an allowed tag becomes an element made
  // here (without attributes but a cell's span), any other tag is left out with its
  // attributes, and text becomes text. Nothing typed can run, load or style anything.
  function fillHtml(area, value) {
    var open = [area];
    var skipping = null;
    var last = 0;
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(value)) !== null) {
      if (!skipping) { addText(open[open.length - 1], value.slice(last, match.index)); }
      last = TOKEN.lastIndex;
      if (!match[2]) { continue; }  // a comment
      var name = match[2].toLowerCase();
      var closing = match[1] === "/";
      if (skipping) {
        if (closing && name === skipping) { skipping = null; }
        continue;
      }
      if (DROPPED.hasOwnProperty(name)) {
        if (!closing) { skipping = name; }
        continue;
      }
      if (!ALLOWED.hasOwnProperty(name)) { continue; }
      var tag = ALLOWED[name];
      if (closing) {
        for (var depth = open.length - 1; depth > 0; depth--) {
          if (open[depth].nodeName.toLowerCase() === tag) {
            open.length = depth;
            break;
          }
        }
        continue;
      }
      var element = document.createElement(tag);
      if (tag === "th" || tag === "td") {
        var span;
        SPAN.lastIndex = 0;
        while ((span = SPAN.exec(match[3])) !== null) {
          element.setAttribute(span[1].toLowerCase(), span[2]);
        }
      }
      open[open.length - 1].appendChild(element);
      if (tag !== "br") { open.push(element); }
    }
    if (!skipping) { addText(open[open.length - 1], value.slice(last)); }
  }

  // Plain text typed without the editor: paragraphs at blank lines, line breaks kept.
  function fillPlain(area, value) {
    value.split(/\n\s*\n/).forEach(function (block) {
      if (!block.trim()) { return; }
      var paragraph = document.createElement("p");
      block.trim().split("\n").forEach(function (line, index) {
        if (index > 0) { paragraph.appendChild(document.createElement("br")); }
        paragraph.appendChild(document.createTextNode(line));
      });
      area.appendChild(paragraph);
    });
  }

  function fill(area, value) {
    if (TAG.test(value)) { fillHtml(area, value); } else { fillPlain(area, value); }
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
    fill(area, textarea.value);
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
