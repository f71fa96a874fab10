// Progressive enhancement only: after htmx swaps in new content, move focus to its heading
// so keyboard and screen-reader users know the page changed.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  var heading = target && (target.matches("[data-focus-after-swap]") ? target :
    target.querySelector("[data-focus-after-swap]"));
  if (heading) { heading.focus(); }
});
