// Client-side search over the prebuilt index (search-index.js, loaded
// before this file). Results are built with textContent only: no data
// string is ever parsed as HTML.
(function () {
  "use strict";
  var idx = window.NMIRF_INDEX;
  var form = document.getElementById("search");
  if (!idx || !form) { return; }
  var out = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var f = idx.fields;
  function val(name) { var e = form.elements[name]; return e ? e.value : ""; }
  function norm(s) { return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  function run() {
    var words = norm(val("q")).split(/\s+/).filter(Boolean);
    var theme = val("theme"), target = val("target"), body = val("body"), st = val("status"), ent = val("entity");
    var hits = [];
    for (var i = 0; i < idx.recs.length; i++) {
      var r = idx.recs[i];
      if (body && r[f.body] !== body) { continue; }
      if (st && r[f.status] !== st) { continue; }
      if (ent && r[f.entity] !== ent) { continue; }
      if (theme && r[f.themes].indexOf(theme) < 0) { continue; }
      if (target && r[f.targets].indexOf(target) < 0) { continue; }
      if (words.length) {
        var t = r._n || (r._n = norm(r[f.text]));
        var ok = true;
        for (var w = 0; w < words.length; w++) { if (t.indexOf(words[w]) < 0) { ok = false; break; } }
        if (!ok) { continue; }
      }
      hits.push(r);
    }
    while (out.firstChild) { out.removeChild(out.firstChild); }
    var shown = hits.slice(0, 200);
    shown.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r[f.href];
      a.textContent = r[f.id] + " (" + r[f.body] + ", " + r[f.date] + ")";
      var q = document.createElement("blockquote");
      q.lang = r[f.lang];
      q.textContent = r[f.text];
      li.appendChild(a);
      li.appendChild(q);
      out.appendChild(li);
    });
    status.textContent = idx.found.replace("{0}", hits.length).replace("{1}", shown.length);
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  form.addEventListener("change", run);
  var params = new URLSearchParams(window.location.search);
  params.forEach(function (v, k) { if (form.elements[k]) { form.elements[k].value = v; } });
  run();
})();
