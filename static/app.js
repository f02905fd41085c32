// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form.getAttribute("data-confirm") ||
      (ev.submitter && ev.submitter.getAttribute("data-confirm"));
    if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
    // One click, one submission: a double click on "Lưu" or "Xác nhận" posts once.
    if (form.method.toLowerCase() === "post") {
      if (form.dataset.sent) { ev.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });

  var input = document.getElementById("roster-q");
  var box = document.getElementById("suggest-box");
  if (!input || !box) { return; }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { box.hidden = true; return; }
    timer = setTimeout(function () {
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          box.textContent = "";
          rows.forEach(function (row) {
            var a = document.createElement("a");
            a.href = row.url;
            a.textContent = row.name + " · " + row.unit;
            box.appendChild(a);
          });
          box.hidden = rows.length === 0;
        });
    }, 200);
  });
  document.addEventListener("click", function (ev) {
    if (!box.contains(ev.target) && ev.target !== input) { box.hidden = true; }
  });
})();
