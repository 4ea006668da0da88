/* The sources table, sorted and filtered in the page (publisher, kind, text).
   Without this script the whole table shows, and publisher pages list each publisher's sources.
   An index of several pages (the table's data-rows names its JSON) sorts and filters every
   source: the first filter or sort fetches sources/index.json, and the table then shows up to
   LIMIT matching sources of the whole index in place of the page's own rows. */
(function () {
  "use strict";
  var LIMIT = 1000;
  var table = document.querySelector("table.sources"), form = document.getElementById("source-filter");
  if (!table || !form) { return; }
  var body = table.tBodies[0], pageRows = Array.prototype.slice.call(body.rows), rows = pageRows;
  var status = document.getElementById("source-count");
  var publisher = form.elements.publisher, kind = form.elements.kind, text = form.elements.text;
  var dataUrl = table.dataset.rows, all = null, loading = null, sorted = null, failed = false;
  var navs = Array.prototype.slice.call(document.querySelectorAll("nav.pages"));

  function matches(data) {
    var needle = text.value.trim().toLowerCase();
    return (!publisher.value || data.publisher === publisher.value) &&
      (!kind.value || data.kind === kind.value) &&
      (!needle || data.text.indexOf(needle) !== -1);
  }

  function fromRow(row) {
    return { row: row, title: row.dataset.title, publisher: row.dataset.publisher, date: row.dataset.date,
             kind: row.dataset.kind, count: row.dataset.count, text: row.textContent.toLowerCase() };
  }

  function fromJson(values) {   /* id, title, publisher, publisher_slug, date, kind, count */
    return { values: values, title: values[1].toLowerCase(), publisher: values[3], date: values[4],
             kind: values[5], count: String(values[6]),
             text: [values[1], values[2], values[4], values[5], values[6]].join(" ").toLowerCase() };
  }

  function cell(tr, child, className) {
    var td = tr.insertCell(-1);
    if (className) { td.className = className; }
    if (child !== null) { td.appendChild(typeof child === "string" ? document.createTextNode(child) : child); }
  }

  function link(href, label, source) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    if (source) { a.dataset.source = source; }
    return a;
  }

  function rowOf(data) {   /* the row the template writes for this source */
    if (data.row) { return data.row; }
    var v = data.values, root = dataUrl.slice(0, -"sources/index.json".length), tr = document.createElement("tr");
    tr.dataset.title = data.title; tr.dataset.publisher = v[3]; tr.dataset.date = v[4];
    tr.dataset.kind = v[5]; tr.dataset.count = data.count;
    cell(tr, link(root + "sources/" + v[0] + "/", v[1], v[0]));
    cell(tr, link(root + "publishers/" + v[3] + "/", v[2]));
    var time = null;
    if (v[4]) { time = document.createElement("time"); time.dateTime = v[4]; time.textContent = v[4]; }
    cell(tr, time);
    cell(tr, v[5]);
    cell(tr, String(v[6]), "count");
    data.row = tr;
    return tr;
  }

  function compare(key, descending) {
    return function (a, b) {
      var x = a[key], y = b[key];
      var order = key === "count" ? Number(x) - Number(y) : x.localeCompare(y);
      return descending ? -order : order;
    };
  }

  function wholeIndex() {   /* every source of the index: the page's rows while it has one page */
    if (!dataUrl) { return Promise.resolve(rows); }
    if (all) { return Promise.resolve(all); }
    if (!loading) {
      status.textContent = "Loading every source…";
      loading = fetch(dataUrl).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }).then(function (json) {
        all = json.sources.map(fromJson);
        return all;
      });
    }
    return loading;
  }

  function filtering() {
    return Boolean(publisher.value || kind.value || text.value.trim() || sorted);
  }

  function show(list, shownAll) {
    var found = list.filter(matches), shown = found.slice(0, LIMIT);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (data) { fragment.appendChild(rowOf(data)); });
    body.replaceChildren(fragment);
    navs.forEach(function (nav) { nav.hidden = !shownAll; });
    if (shownAll) {
      status.textContent = "";
    } else if (found.length > shown.length) {
      status.textContent = "the first " + shown.length + " of " + found.length + " matching sources shown (of " + list.length + ")";
    } else {
      status.textContent = found.length + " of " + list.length + " sources shown";
    }
  }

  function apply() {
    if (dataUrl && !filtering()) {   /* back to this page of the index */
      show(rows, true);
      return;
    }
    wholeIndex().then(function (list) {
      if (dataUrl && !filtering()) { return; }   /* the filters were cleared while every source loaded */
      var ordered = sorted ? list.slice().sort(compare(sorted.key, sorted.descending)) : list, shown = 0;
      if (!dataUrl) {   /* one page: every row stays in the table, hidden or not */
        ordered.forEach(function (data) {
          data.row.hidden = !matches(data);
          if (!data.row.hidden) { shown += 1; }
          body.appendChild(data.row);
        });
        status.textContent = (failed ? "Every source could not be loaded: the filters apply to this page. " : "") +
          shown + " of " + list.length + " sources shown";
        return;
      }
      show(ordered, false);
    }, function () {
      failed = true;
      dataUrl = null;
      body.replaceChildren.apply(body, rows.map(function (data) { return data.row; }));
      navs.forEach(function (nav) { nav.hidden = false; });
      apply();
    });
  }

  function sortBy(button) {
    var th = button.closest("th"), key = button.dataset.key;
    var descending = th.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    sorted = { key: key, descending: descending };
    apply();
  }

  rows = pageRows.map(fromRow);
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
