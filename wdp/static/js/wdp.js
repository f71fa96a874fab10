// Progressive enhancement only: after htmx swaps in new content, move focus to its heading
// so keyboard and screen-reader users know the page changed (htmx updates the title).
document.addEventListener("htmx:afterSettle", function () {
  var heading = document.querySelector("[data-focus-after-swap]");
  if (heading) { heading.focus(); }
});
