/* Starts Pagefind's search interface on the search page (filters: series, author, tag, publisher). */
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") { return; }
  new PagefindUI({
    element: "#search",
    bundlePath: element.getAttribute("data-bundle"),
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
})();
