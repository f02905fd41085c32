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
    // Long operations (reading a big file, committing thousands of rows): show that work goes on.
    var busyText = form.getAttribute("data-busy");
    var busy = document.querySelector(".busy");
    if (busyText && busy) {
      var started = Date.now();
      busy.querySelector(".busy-text").textContent = busyText;
      busy.hidden = false;
      var tick = setInterval(function () {
        var s = Math.round((Date.now() - started) / 1000);
        busy.querySelector(".busy-text").textContent = busyText + " (" + s + " giây)";
      }, 1000);
      window.addEventListener("pagehide", function () { clearInterval(tick); });
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

// Records pages: "Chọn tất cả" ticks every box of a list; "In" prints the payment sheet.
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var name = ev.target.getAttribute && ev.target.getAttribute("data-check-all");
    if (!name) { return; }
    var boxes = document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    Array.prototype.forEach.call(boxes, function (box) { box.checked = ev.target.checked; });
  });
  document.addEventListener("click", function (ev) {
    if (ev.target.hasAttribute && ev.target.hasAttribute("data-print")) { window.print(); }
  });
})();

// Import batch being read in the background: poll its progress, show the preview when done.
(function () {
  "use strict";
  var panel = document.querySelector(".job-progress[data-progress-url]");
  if (!panel) { return; }
  var bar = panel.querySelector("progress");
  var text = panel.querySelector(".job-progress-text");
  var fmt = new Intl.NumberFormat("vi-VN");
  function poll() {
    fetch(panel.dataset.progressUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (job && job.status !== "queued") { window.location.reload(); return; }
        if (job && job.total) {
          bar.max = job.total;
          bar.value = job.done;
          text.firstChild.textContent = "Đã kiểm tra " + fmt.format(job.done) + " / " +
            fmt.format(job.total) + " dòng. ";
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
