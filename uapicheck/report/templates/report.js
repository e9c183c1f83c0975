// Filters: severity, rule, header and text; the state lives in the URL's
// fragment (#sev=error,warning&rule=UA205&header=drm&text=csa), so that a
// filtered view can be linked to. Plain DOM, no library: one pass over the
// findings per change.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("li.f"));
  var words = items.map(function (li) { return li.textContent.toLowerCase(); });
  var blocks = Array.prototype.slice.call(document.querySelectorAll("article.blk"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.hdr"));
  var sevs = Array.prototype.slice.call(document.querySelectorAll("input[name=sev]"));
  var rule = document.getElementById("rule");
  var header = document.getElementById("header");
  var text = document.getElementById("text");
  var shown = document.getElementById("shown");
  var fold = document.getElementById("fold");

  function state() {
    var s = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { s[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
    });
    return s;
  }

  function load() {
    var s = state();
    if (s.sev !== undefined) {
      var on = s.sev.split(",");
      sevs.forEach(function (c) { c.checked = on.indexOf(c.value) >= 0; });
    }
    rule.value = s.rule || "";
    header.value = s.header || "";
    text.value = s.text || "";
  }

  function save() {
    var parts = [];
    var on = sevs.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
    if (on.length !== sevs.length) { parts.push("sev=" + on.join(",")); }
    if (rule.value) { parts.push("rule=" + encodeURIComponent(rule.value)); }
    if (header.value) { parts.push("header=" + encodeURIComponent(header.value)); }
    if (text.value) { parts.push("text=" + encodeURIComponent(text.value)); }
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
  }

  function apply() {
    var on = {};
    sevs.forEach(function (c) { on[c.value] = c.checked; });
    var r = rule.value, h = header.value.toLowerCase(), q = text.value.toLowerCase(), n = 0;
    var headerOk = new Map();
    sections.forEach(function (s) { headerOk.set(s, !h || s.dataset.h.toLowerCase().indexOf(h) >= 0); });
    items.forEach(function (li, i) {
      var ok = on[li.dataset.s] && (!r || li.dataset.r === r) && (!q || words[i].indexOf(q) >= 0) &&
        headerOk.get(li.closest("section.hdr"));
      li.hidden = !ok;
      if (ok) { n++; }
    });
    blocks.forEach(function (b) { b.hidden = !b.querySelector("li.f:not([hidden])"); });
    sections.forEach(function (s) { s.hidden = !s.querySelector("article.blk:not([hidden])"); });
    shown.textContent = n + " of " + items.length + " findings";
  }

  function changed() { save(); apply(); }
  var timer = 0;
  function typed() { clearTimeout(timer); timer = setTimeout(changed, 150); }

  sevs.forEach(function (c) { c.addEventListener("change", changed); });
  rule.addEventListener("change", changed);
  header.addEventListener("input", typed);
  text.addEventListener("input", typed);
  window.addEventListener("hashchange", function () { load(); apply(); });
  fold.addEventListener("click", function () {
    var open = fold.textContent !== "hide drawings";
    document.querySelectorAll("details.draw").forEach(function (d) { d.open = open; });
    fold.textContent = open ? "hide drawings" : "show drawings";
  });
  load();
  apply();
})();
