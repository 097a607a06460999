// The web chat page: sends questions and pressed chips to /api/ask and renders the answer model.
// Every string from the server goes into text nodes (textContent); nothing is parsed as HTML.
(function () {
  "use strict";

  var log = document.getElementById("log");
  var form = document.getElementById("ask");
  var input = document.getElementById("question");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");
  var kiosk = new URLSearchParams(window.location.search).get("kiosk") === "1";
  var SAFE_URL = /^https?:\/\//i;
  var SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
  var OPEN_SECTIONS = 3;  // later sections start folded (<details>)
  var KIOSK_IDLE_MS = 5 * 60 * 1000;
  var busy = false;
  var idleTimer = null;
  var session = loadSession();

  function text(key) {
    var node = document.querySelector('#texts [data-key="' + key + '"]');
    return node ? node.textContent : "";
  }

  // The page's own labels in the conversation's language: each element keeps its Vietnamese text and
  // carries the English one in data-en (data-en-placeholder, data-en-alt, data-en-aria-label, data-en-lang).
  var language = "vi";
  var langButton = document.getElementById("lang");
  var SWITCHED = [["placeholder", "enPlaceholder"], ["alt", "enAlt"], ["aria-label", "enAriaLabel"], ["lang", "enLang"]];

  function translatePage(root, lang) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-en]"), function (node) {
      if (node.dataset.vi === undefined) { node.dataset.vi = node.textContent; }
      node.textContent = lang === "en" ? node.dataset.en : node.dataset.vi;
    });
    SWITCHED.forEach(function (pair) {
      Array.prototype.forEach.call(root.querySelectorAll("[data-" + pair[1].replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); }) + "]"), function (node) {
        var keep = "vi" + pair[1].slice(2);
        if (node.dataset[keep] === undefined) { node.dataset[keep] = node.getAttribute(pair[0]) || ""; }
        node.setAttribute(pair[0], lang === "en" ? node.dataset[pair[1]] : node.dataset[keep]);
      });
    });
  }

  function applyLanguage(lang) {
    if ((lang !== "en" && lang !== "vi") || lang === language) { return; }
    language = lang;
    document.documentElement.lang = lang;
    translatePage(document, lang);
  }

  function newSessionId() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function saveSession(id) {
    session = id;
    try { window.sessionStorage.setItem("chat-session", id); } catch (e) { /* storage blocked: keep it in memory */ }
  }

  function loadSession() {
    var id = null;
    try { id = window.sessionStorage.getItem("chat-session"); } catch (e) { id = null; }
    if (!id || !SESSION_ID.test(id)) {
      id = newSessionId();
    }
    try { window.sessionStorage.setItem("chat-session", id); } catch (e) { /* ignore */ }
    return id;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = content; }
    return node;
  }

  function outsideLink(label, url, className) {
    if (!SAFE_URL.test(url || "")) { return el("span", className, label); }
    var a = el("a", className, label);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener";
    a.appendChild(el("span", "visually-hidden", " " + text("newtab")));
    return a;
  }

  function lineGroups(lines) {
    var groups = [[]];
    lines.forEach(function (line) {
      if (line.trim()) { groups[groups.length - 1].push(line); } else if (groups[groups.length - 1].length) { groups.push([]); }
    });
    return groups.filter(function (g) { return g.length; });
  }

  function renderSection(section, folded) {
    var box = el(folded ? "details" : "section", "sec");
    box.dataset.key = section.key;
    var heading = el("h3", null, section.title);
    if (folded) {
      var summary = el("summary");
      summary.appendChild(heading);
      box.appendChild(summary);
    } else {
      box.appendChild(heading);
    }
    lineGroups(section.lines || []).forEach(function (group) {
      var ul = el("ul", "lines");
      group.forEach(function (line) { ul.appendChild(el("li", null, line)); });
      box.appendChild(ul);
    });
    if (section.links && section.links.length) {
      var links = el("ul", "links");
      section.links.forEach(function (link) {
        var li = el("li");
        li.appendChild(outsideLink(link.label, link.url));
        links.appendChild(li);
      });
      box.appendChild(links);
    }
    return box;
  }

  // The card's second layer ("Chi tiết"): folded until the citizen opens it.
  function renderDetails(label, sections) {
    var box = el("details", "more-details");
    var summary = el("summary", "more-summary", label);
    box.appendChild(summary);
    sections.forEach(function (section) { box.appendChild(renderSection(section, false)); });
    return box;
  }

  function renderButtons(buttons) {
    var group = el("div", "chips");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", text("choices"));
    buttons.forEach(function (b) {
      if (b.action) {
        var chip = el("button", "chip", b.label);
        chip.type = "button";
        chip.dataset.action = b.action;
        var vote = /^feedback:.*:(up|down)$/.exec(b.action);
        if (vote) { chip.setAttribute("aria-label", text(vote[1])); chip.title = text(vote[1]); }
        group.appendChild(chip);
      } else if (b.url) {
        group.appendChild(outsideLink(b.label, b.url, "chip chip-link"));
      }
    });
    return group;
  }

  function qrPath(pid) {
    return "/qr/" + encodeURIComponent(pid).replace(/%2F/gi, "/") + ".svg";
  }

  function printAnswer(article) {
    Array.prototype.forEach.call(article.querySelectorAll("details"), function (d) { d.open = true; });
    article.classList.add("print-target");
    document.body.classList.add("printing");
    var done = function () {
      article.classList.remove("print-target");
      document.body.classList.remove("printing");
    };
    window.addEventListener("afterprint", done, { once: true });
    window.print();
  }

  function kioskTools(pid, article) {
    var tools = document.getElementById("kiosk-tools").content.firstElementChild.cloneNode(true);
    tools.querySelector("img").src = qrPath(pid);
    translatePage(tools.parentNode || tools, language);
    tools.querySelector(".print-button").addEventListener("click", function () { printAnswer(article); });
    return tools;
  }

  function renderAnswer(answer) {
    var article = el("article", "bubble answer");
    article.dataset.kind = answer.kind;
    var title = el("h2", "answer-title", answer.title);
    title.tabIndex = -1;
    article.appendChild(title);
    if (answer.subtitle) { article.appendChild(el("p", "subtitle", answer.subtitle)); }
    if (answer.intro) { article.appendChild(el("p", "intro", answer.intro)); }
    (answer.sections || []).forEach(function (section, i) {
      article.appendChild(renderSection(section, i >= OPEN_SECTIONS));
    });
    var buttons = answer.buttons || [];
    var more = buttons.filter(function (b) { return /^details:/.test(b.action || ""); })[0];
    if (more && answer.details && answer.details.length) {
      article.appendChild(renderDetails(more.label, answer.details));
      buttons = buttons.filter(function (b) { return b !== more; });  // shown in place, not asked for
    }
    if (answer.caution) {  // one short line after the facts
      var caution = el("p", "caution", answer.caution);
      caution.setAttribute("role", "note");
      article.appendChild(caution);
    }
    if (buttons.length) { article.appendChild(renderButtons(buttons)); }
    if (kiosk && answer.kind === "procedure" && answer.procedure_id) {
      article.appendChild(kioskTools(answer.procedure_id, article));
    }
    return article;
  }

  function append(node) {
    log.appendChild(node);
    node.scrollIntoView({ block: "start", behavior: "instant" });
  }

  function appendQuestion(content) {
    var bubble = el("div", "bubble you");
    bubble.appendChild(el("span", "visually-hidden", text("you") + ": "));
    bubble.appendChild(document.createTextNode(content));
    append(bubble);
  }

  function appendNotice(message) {
    var notice = el("p", "bubble notice", message);
    notice.setAttribute("role", "alert");
    append(notice);
  }

  function setBusy(on) {
    busy = on;
    sendButton.disabled = on;
    log.setAttribute("aria-busy", on ? "true" : "false");
    statusLine.textContent = on ? text("thinking") : "";
  }

  function send(payload, shown) {
    if (busy) { return; }
    if (shown) { appendQuestion(shown); }
    setBusy(true);
    payload.session = session;
    fetch("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok || !data || data.error) {
          appendNotice(data && data.message ? data.message : text("offline"));
          return;
        }
        if (data.session && SESSION_ID.test(data.session)) { saveSession(data.session); }
        if (data.language) { applyLanguage(data.language); }
        append(renderAnswer(data));
      });
    }).catch(function () {
      appendNotice(text("offline"));
    }).then(function () {
      setBusy(false);
    });
  }

  function restartKiosk() {
    while (log.firstChild) { log.removeChild(log.firstChild); }
    saveSession(newSessionId());
    send({ q: "" });
  }

  function touched() {
    if (!kiosk) { return; }
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(restartKiosk, KIOSK_IDLE_MS);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    touched();
    var question = input.value.trim();
    if (!question) {
      statusLine.textContent = text("empty");
      input.focus();
      return;
    }
    if (busy) { return; }
    input.value = "";
    send({ q: question }, question);
  });

  langButton.addEventListener("click", function () {
    touched();
    send({ action: "lang:" + (language === "en" ? "vi" : "en") });
  });

  log.addEventListener("click", function (event) {
    var chip = event.target.closest("button.chip[data-action]");
    if (!chip || !log.contains(chip)) { return; }
    touched();
    send({ action: chip.dataset.action }, chip.textContent);
  });

  if (kiosk) {
    document.documentElement.classList.add("kiosk");
    ["keydown", "pointerdown"].forEach(function (type) { document.addEventListener(type, touched); });
    touched();
  }
  send({ q: "" });

  // Replies from a person (the desk of staff and volunteers): asked for now, then every POLL_MS.
  var POLL_MS = 20000;
  function poll() {
    fetch("/api/messages?session=" + encodeURIComponent(session), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      ((data && data.messages) || []).forEach(function (message) { append(renderAnswer(message)); });
    }).catch(function () { /* offline: try again later */ }).then(function () {
      window.setTimeout(poll, POLL_MS);
    });
  }
  window.setTimeout(poll, 1000);
}());
