/* The discipline form offers only the forms of the chosen system (issue 15 §6). Without this
   script the <select> shows every system's forms in <optgroup>s and the server refuses a form
   of another system. */
(function () {
  var system = document.getElementById("system");
  var form = document.getElementById("form");
  if (!system || !form) { return; }
  var groups = form.querySelectorAll("optgroup[data-group]");

  function follow() {
    var chosen = form.selectedOptions[0];
    var keep = chosen && chosen.parentNode.getAttribute("data-group") === system.value;
    Array.prototype.forEach.call(groups, function (group) {
      var shown = group.getAttribute("data-group") === system.value;
      group.hidden = !shown;
      group.disabled = !shown;
    });
    if (!keep && form.value) {
      // Keep the same form where the new system has it (khiển trách is in both Đảng and
      // chính quyền); otherwise ask again.
      var same = form.querySelector('optgroup[data-group="' + system.value + '"] option[value="' +
                                    form.value + '"]');
      if (same) { same.selected = true; } else { form.value = ""; }
    }
  }
  system.addEventListener("change", follow);
  follow();
})();
