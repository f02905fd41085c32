/* Unit choosers searched by typing (issue 15 §6). Progressive enhancement: without this
   script every chooser is a plain <select> (or a list of checkboxes) that works as before.
   - A unit <select> (class "unit-picker", or named unit / unit_id / …_unit_id) with many
     options gets a filter box above it that hides the options not matching what is typed.
   - A group of checkboxes (class "unit-checks") gets the same box, hiding the unticked boxes
     that do not match.
   Matching ignores case and Vietnamese accents: "dak ha" finds "Huyện Đắk Hà". */
(function () {
  var MIN_OPTIONS = 12;
  var SELECTS = 'select.unit-picker, select[name="unit"], select[name="unit_id"], ' +
                'select[name$="_unit_id"], select[name="successor_id"]';

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function filterBox(label, node, after) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "unit-picker-filter";
    box.placeholder = "Tìm đơn vị…";
    box.title = "Gõ tên đơn vị, có dấu hoặc không dấu";
    box.setAttribute("aria-label", "Tìm đơn vị" + (label ? ": " + label : ""));
    box.autocomplete = "off";
    node.parentNode.insertBefore(box, after ? node.nextSibling : node);
    return box;
  }

  function labelOf(el) {
    var label = el.id && document.querySelector('label[for="' + el.id + '"]');
    label = label || el.closest("label");
    return label ? label.textContent.replace("*", "").trim() : "";
  }

  function enhanceSelect(select) {
    if (select.multiple || select.options.length < MIN_OPTIONS || select.dataset.picker) { return; }
    select.dataset.picker = "1";
    // In a form the box goes between the label and the select; in a filter bar, whose <label>
    // wraps its select, after that label, so that the label names the select alone.
    var wrapper = select.closest(".filters label");
    var box = filterBox(labelOf(select), wrapper || select, Boolean(wrapper));
    var texts = Array.prototype.map.call(select.options, function (o) { return fold(o.text); });
    box.addEventListener("input", function () {
      var q = fold(box.value), firstShown = null;
      Array.prototype.forEach.call(select.options, function (o, i) {
        var show = !o.value || !q || texts[i].indexOf(q) !== -1;
        o.hidden = !show;
        if (show && o.value && firstShown === null) { firstShown = o; }
      });
      var chosen = select.options[select.selectedIndex];
      if (q && firstShown && (!chosen || chosen.hidden || !chosen.value)) {
        firstShown.selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); select.focus(); }
    });
  }

  function enhanceChecks(group) {
    if (group.dataset.picker) { return; }
    group.dataset.picker = "1";
    var box = filterBox(labelOf(group), group, false);
    var items = group.querySelectorAll("label");
    box.addEventListener("input", function () {
      var q = fold(box.value);
      Array.prototype.forEach.call(items, function (item) {
        var ticked = item.querySelector("input:checked");
        item.hidden = !(ticked || !q || fold(item.textContent).indexOf(q) !== -1);
      });
    });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(SELECTS), enhanceSelect);
    Array.prototype.forEach.call(document.querySelectorAll(".unit-checks"), enhanceChecks);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
