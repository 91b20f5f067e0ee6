/* Catalog staff pages, no dependencies; every page also works without this script.
   - A small rich-text editor for item bodies: <textarea data-richtext> becomes an editable area
     with a toolbar (bold, headings, lists, link, table) that writes cleaned HTML back into the
     textarea, which stays the form field. The server cleans the HTML again (nh3): this cleaning
     only keeps the editor tidy, e.g. after pasting from Word.
   - Enter in the 政策解读 picker searches; the secrecy verdict and the sign-off time show only
     the fields of the chosen answer. */
(function () {
  "use strict";
  var KEEP = { P: 1, BR: 1, STRONG: 1, EM: 1, U: 1, H2: 1, H3: 1, H4: 1, UL: 1, OL: 1, LI: 1,
    TABLE: 1, THEAD: 1, TBODY: 1, TR: 1, TH: 1, TD: 1, A: 1, IMG: 1, BLOCKQUOTE: 1 };
  var RENAME = { B: "STRONG", I: "EM", H1: "H2", H5: "H4", H6: "H4" };
  var DROP = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TEMPLATE: 1, META: 1,
    LINK: 1, TITLE: 1, HEAD: 1, SVG: 1, MATH: 1, NOSCRIPT: 1, XML: 1, BUTTON: 1, INPUT: 1,
    SELECT: 1, TEXTAREA: 1, FORM: 1 };
  var BLOCKS = /^(P|DIV|H[1-6]|UL|OL|LI|TABLE|BLOCKQUOTE|SECTION|ARTICLE|PRE)$/;
  var SAFE_URL = /^(https?:\/\/|mailto:)/i;

  function copyInto(target, source) {
    Array.prototype.forEach.call(source.childNodes, function (child) {
      if (child.nodeType === 3) {
        target.appendChild(document.createTextNode(child.nodeValue));
        return;
      }
      if (child.nodeType !== 1) return;
      var tag = child.tagName.toUpperCase();
      if (DROP[tag] || tag.indexOf(":") >= 0) return;
      if (tag === "DIV" || tag === "SECTION" || tag === "ARTICLE" || tag === "PRE") {
        var hasBlock = Array.prototype.some.call(child.children, function (c) {
          return BLOCKS.test(c.tagName.toUpperCase());
        });
        if (hasBlock) { copyInto(target, child); return; }
        tag = "P";
      }
      tag = RENAME[tag] || tag;
      if (!KEEP[tag]) { copyInto(target, child); return; }
      var el = document.createElement(tag);
      if (tag === "A") {
        var href = (child.getAttribute("href") || "").trim();
        if (!SAFE_URL.test(href)) { copyInto(target, child); return; }
        el.setAttribute("href", href);
      } else if (tag === "IMG") {
        var src = (child.getAttribute("src") || "").trim();
        if (!/^https?:\/\//i.test(src)) return;
        el.setAttribute("src", src);
        el.setAttribute("alt", child.getAttribute("alt") || "");
      } else if (tag === "TD" || tag === "TH") {
        ["colspan", "rowspan"].forEach(function (name) {
          var v = child.getAttribute(name);
          if (v && /^\d{1,3}$/.test(v) && v !== "1") el.setAttribute(name, v);
        });
      }
      copyInto(el, child);
      target.appendChild(el);
    });
  }

  function clean(html) {
    var doc = new DOMParser().parseFromString("<body>" + (html || "") + "</body>", "text/html");
    var box = document.createElement("div");
    copyInto(box, doc.body);
    // Drop empty paragraphs the editor leaves behind, keep one <br> lines.
    Array.prototype.forEach.call(box.querySelectorAll("p"), function (p) {
      if (!p.textContent.trim() && !p.querySelector("img, br")) p.remove();
    });
    var out = box.innerHTML.trim();
    return out === "<p><br></p>" ? "" : out;
  }

  function tableHtml(rows, cols) {
    var head = "<thead><tr>" + new Array(cols + 1).join("<th><br></th>") + "</tr></thead>";
    var row = "<tr>" + new Array(cols + 1).join("<td><br></td>") + "</tr>";
    return "<table>" + head + "<tbody>" + new Array(rows).join(row) + "</tbody></table><p><br></p>";
  }

  function enhance(textarea) {
    var source = document.getElementById("editor-labels");
    var L = source ? JSON.parse(source.textContent) : {};
    var label = document.querySelector("label[for='" + textarea.id + "']");
    var labelText = label ? label.textContent.replace("*", "").trim() : "正文";
    var wrap = document.createElement("div");
    wrap.className = "ct-editor";
    var bar = document.createElement("div");
    bar.className = "ct-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", L.toolbar || "正文格式");
    var area = document.createElement("div");
    area.className = "ct-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-label", labelText);
    area.setAttribute("data-placeholder", textarea.getAttribute("placeholder") || "");
    if (textarea.getAttribute("aria-describedby")) {
      area.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    area.innerHTML = clean(textarea.value);

    function exec(command, value) {
      area.focus();
      document.execCommand(command, false, value);
      sync();
    }
    var buttons = [
      ["bold", L.bold || "加粗", function () { exec("bold"); }],
      ["h2", L.h2 || "标题", function () { exec("formatBlock", "<h2>"); }],
      ["h3", L.h3 || "小标题", function () { exec("formatBlock", "<h3>"); }],
      ["p", L.p || "正文段落", function () { exec("formatBlock", "<p>"); }],
      null,
      ["ul", L.ul || "项目列表", function () { exec("insertUnorderedList"); }],
      ["ol", L.ol || "编号列表", function () { exec("insertOrderedList"); }],
      null,
      ["link", L.link || "链接", function () {
        var url = window.prompt(L.linkPrompt || "链接地址（以 http:// 或 https:// 开头）", "https://");
        if (url && SAFE_URL.test(url.trim())) exec("createLink", url.trim());
      }],
      ["table", L.table || "表格", function () {
        var size = window.prompt(L.tablePrompt || "表格的行数和列数，如 3x4", "3x3");
        var m = /^\s*(\d{1,2})\s*[x×*,，]\s*(\d{1,2})\s*$/i.exec(size || "");
        if (m) exec("insertHTML", tableHtml(Math.max(1, +m[1]), Math.max(1, +m[2])));
      }],
      null,
      ["clear", L.clear || "清除格式", function () { exec("removeFormat"); exec("formatBlock", "<p>"); }]
    ];
    buttons.forEach(function (b) {
      if (!b) {
        var sep = document.createElement("span");
        sep.className = "sep";
        sep.setAttribute("aria-hidden", "true");
        bar.appendChild(sep);
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b[1];
      button.setAttribute("data-command", b[0]);
      button.addEventListener("mousedown", function (e) { e.preventDefault(); });
      button.addEventListener("click", b[2]);
      bar.appendChild(button);
    });

    function sync() { textarea.value = clean(area.innerHTML); }
    area.addEventListener("input", sync);
    area.addEventListener("blur", sync);
    area.addEventListener("paste", function (e) {
      var data = e.clipboardData;
      if (!data) return;
      var html = data.getData("text/html");
      if (!html) return;
      e.preventDefault();
      document.execCommand("insertHTML", false, clean(html));
      sync();
    });
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (err) { /* old browsers */ }
    try { document.execCommand("styleWithCSS", false, false); } catch (err) { /* old browsers */ }
    if (textarea.form) textarea.form.addEventListener("submit", sync);

    wrap.appendChild(bar);
    wrap.appendChild(area);
    textarea.parentNode.insertBefore(wrap, textarea);
    textarea.hidden = true;
    textarea.setAttribute("data-enhanced", "1");
    if (label) label.addEventListener("click", function () { area.focus(); });
  }

  document.querySelectorAll("textarea[data-richtext]").forEach(enhance);

  /* Enter in the picker's search box searches instead of saving the whole form. */
  document.querySelectorAll("[data-pick-search]").forEach(function (input) {
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault();
      var button = document.querySelector(input.getAttribute("data-pick-search"));
      if (button) button.click();
    });
  });

  /* The secrecy verdict shows the fields of the chosen answer only: 公开方式 for 非涉密, the
     confirmation box for 涉密. */
  document.querySelectorAll("[data-verdict-choice]").forEach(function (box) {
    var form = box.closest("form");
    function update() {
      var chosen = box.querySelector("input:checked");
      form.querySelectorAll("[data-verdict]").forEach(function (part) {
        part.hidden = !chosen || part.getAttribute("data-verdict") !== chosen.value;
      });
      var disclosure = form.querySelector("input[name=disclosure]:checked");
      var reasons = form.querySelector("[data-withheld-reason]");
      if (reasons) reasons.hidden = !!disclosure && disclosure.value === "proactive";
    }
    form.addEventListener("change", update);
    update();
  });

  /* The time field of the sign-off form only matters for a scheduled publication. */
  document.querySelectorAll("[data-when]").forEach(function (box) {
    var target = document.getElementById(box.getAttribute("data-when"));
    if (!target) return;
    function update() {
      var later = box.querySelector("input[value=later]");
      target.hidden = !(later && later.checked);
    }
    box.addEventListener("change", update);
    update();
  });

  /* Checks while writing: the hits listed in the check panel are highlighted in the editor
     itself. The CSS Custom Highlight API marks text ranges without changing the text that is
     saved; browsers without it still show every hit in the panel. */
  function highlightHits() {
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    var panel = document.querySelector("[data-live-checks]");
    var hits = panel ? Array.prototype.map.call(panel.querySelectorAll("[data-hit]"), function (li) {
      return li.getAttribute("data-hit");
    }) : [];
    var ranges = [];
    document.querySelectorAll(".ct-area").forEach(function (area) {
      var walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
      var node;
      while ((node = walker.nextNode())) {
        hits.forEach(function (hit) {
          if (!hit) return;
          var at = node.data.indexOf(hit);
          while (at >= 0) {
            var range = new Range();
            range.setStart(node, at);
            range.setEnd(node, at + hit.length);
            ranges.push(range);
            at = node.data.indexOf(hit, at + hit.length);
          }
        });
      }
    });
    if (ranges.length) {
      CSS.highlights.set("gk-finding", new Highlight(...ranges));
    } else {
      CSS.highlights.delete("gk-finding");
    }
  }
  highlightHits();
  document.body.addEventListener("htmx:afterSettle", highlightHits);
  document.addEventListener("input", function (e) {
    if (e.target && e.target.classList && e.target.classList.contains("ct-area")) highlightHits();
  });
})();
