// The main menu and small screens. Loaded in <head> without "defer" so that the "js" class is
// set before the first paint: on a phone the menu is folded only when this file can unfold it.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var PHONE = "(max-width: 760px)";

  function openGroups(except) {
    var open = document.querySelectorAll("details.navgroup[open]");
    Array.prototype.forEach.call(open, function (d) { if (d !== except) { d.open = false; } });
  }

  // One dropdown open at a time; a click elsewhere or Escape closes it.
  document.addEventListener("toggle", function (ev) {
    var d = ev.target;
    if (d.classList && d.classList.contains("navgroup") && d.open) { openGroups(d); }
  }, true);
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest || !ev.target.closest("details.navgroup")) { openGroups(null); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") { return; }
    var d = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("details.navgroup[open]");
    openGroups(null);
    if (d) { d.querySelector("summary").focus(); }
  });

  // A list's filters on a phone: folded behind "Bộ lọc" so that the list shows first.
  function foldFilters() {
    var forms = document.querySelectorAll("form.filters");
    Array.prototype.forEach.call(forms, function (form) {
      if (form.parentNode.classList.contains("filterfold")) { return; }
      var fold = document.createElement("details");
      var summary = document.createElement("summary");
      fold.className = "filterfold";
      summary.className = "btn";
      summary.textContent = "Bộ lọc";
      if (/[?&](?!page=)[^=&]+=[^&]/.test(window.location.search)) {
        summary.textContent = "Bộ lọc (đang lọc)";
      }
      form.parentNode.insertBefore(fold, form);
      fold.appendChild(summary);
      fold.appendChild(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".navtoggle");
    var nav = document.getElementById("mainnav");
    if (button && nav) {
      button.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    if (window.matchMedia && window.matchMedia(PHONE).matches) { foldFilters(); }
  });
})();
