/* Starts Pagefind's search interface on the search page (filters: series, author, tag, publisher).
   The index comes in shards: pagefind/shards.json lists the folders of all but the first,
   which the interface merges into one list of results. */
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") { return; }
  var bundle = element.getAttribute("data-bundle");
  // Result links start from the site's own folder (the bundle's parent), also when the
  // site is served from a sub-folder, for the first shard and the merged ones alike.
  var siteRoot = new URL(bundle + "../", window.location.href).pathname;

  function start(shards) {
    new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: siteRoot,
      mergeIndex: shards.map(function (folder) { return { bundlePath: bundle + folder, baseUrl: siteRoot }; }),
      showSubResults: true,
      showImages: false,
      resetStyles: false
    });
    var query = new URLSearchParams(window.location.search).get("q");
    var input = element.querySelector("input");
    if (input) {
      input.setAttribute("aria-label", "Search the briefs");
      if (query) {
        input.value = query;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
  }

  fetch(bundle + "shards.json")
    .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
    .then(function (listed) { return Array.isArray(listed.shards) ? listed.shards : []; })
    .catch(function () { return []; })
    .then(start);
})();
