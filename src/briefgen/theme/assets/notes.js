/* Note previews: hovering or focusing a [N] shows that note's sources in a card.
   WCAG 1.4.13: the card can be hovered, Escape dismisses it, and it stays until the
   pointer or focus leaves. Without this script, [N] jumps to the note (:target). */
(function () {
  "use strict";
  var card = null, current = null, hideTimer = 0;

  function makeCard() {
    card = document.createElement("div");
    card.id = "note-preview";
    card.className = "note-preview";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(card);
  }

  function fill(note, number) {
    card.textContent = "";
    var heading = document.createElement("p");
    heading.className = "note-preview-number";
    heading.textContent = "Note " + number;
    card.appendChild(heading);
    var list = document.createElement("ul");
    note.querySelectorAll(".note-source .source-link, .note-text").forEach(function (part) {
      var item = document.createElement("li");
      item.className = part.classList.contains("note-text") ? "preview-text" : "preview-source";
      item.innerHTML = part.innerHTML;
      item.querySelectorAll("a").forEach(function (a) { a.replaceWith(a.textContent); });
      list.appendChild(item);
    });
    card.appendChild(list);
  }

  function place(ref) {
    var box = ref.getBoundingClientRect(), width = Math.min(384, document.documentElement.clientWidth - 16);
    card.style.width = width + "px";
    var left = Math.max(8, Math.min(box.left + window.scrollX - 16,
      window.scrollX + document.documentElement.clientWidth - width - 8));
    card.style.left = left + "px";
    card.style.top = (box.bottom + window.scrollY + 6) + "px";
    var below = box.bottom + 6 + card.offsetHeight;
    if (below > window.innerHeight && box.top > card.offsetHeight + 6) {
      card.style.top = (box.top + window.scrollY - card.offsetHeight - 6) + "px";
    }
  }

  function show(ref) {
    var id = decodeURIComponent(ref.hash.slice(1)), note = document.getElementById(id);
    if (!note) { return; }
    clearTimeout(hideTimer);
    if (current && current !== ref) { current.removeAttribute("aria-describedby"); }
    current = ref;
    fill(note, ref.textContent.replace(/[\[\]]/g, ""));
    card.hidden = false;
    place(ref);
    ref.setAttribute("aria-describedby", card.id);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (card) { card.hidden = true; }
    if (current) { current.removeAttribute("aria-describedby"); current = null; }
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  }

  function init() {
    var refs = document.querySelectorAll('a.noteref[role="doc-noteref"]');
    if (!refs.length) { return; }
    makeCard();
    refs.forEach(function (ref) {
      ref.addEventListener("mouseenter", function () { show(ref); });
      ref.addEventListener("mouseleave", scheduleHide);
      ref.addEventListener("focus", function () { show(ref); });
      ref.addEventListener("blur", hide);
      ref.addEventListener("click", hide);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && card && !card.hidden) { hide(); }
    });
  }

  init();
})();
