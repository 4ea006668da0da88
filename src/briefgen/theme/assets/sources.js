/* The sources table, sorted and filtered in the page (publisher, kind, text).
   Without this script the whole table shows, and publisher pages list each publisher's sources. */
(function () {
  "use strict";
  var table = document.querySelector("table.sources"), form = document.getElementById("source-filter");
  if (!table || !form) { return; }
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var status = document.getElementById("source-count");
  var publisher = form.elements.publisher, kind = form.elements.kind, text = form.elements.text;

  function apply() {
    var shown = 0, needle = text.value.trim().toLowerCase();
    rows.forEach(function (row) {
      var ok = (!publisher.value || row.dataset.publisher === publisher.value) &&
        (!kind.value || row.dataset.kind === kind.value) &&
        (!needle || row.textContent.toLowerCase().indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    status.textContent = shown + " of " + rows.length + " sources shown";
  }

  function sortBy(button) {
    var th = button.closest("th"), key = button.dataset.key;
    var descending = th.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.sort(function (a, b) {
      var x = a.dataset[key], y = b.dataset[key];
      var order = key === "count" ? Number(x) - Number(y) : x.localeCompare(y);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  table.querySelectorAll("th[data-key]").forEach(function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.dataset.key = th.dataset.key;
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(button); });
  });
  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  apply();
})();
