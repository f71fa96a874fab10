// Progressive enhancement only; every page works without this file.

// After htmx swaps in new content, move focus to its heading so keyboard and
// screen-reader users know the page changed (htmx updates the title).
document.addEventListener("htmx:afterSettle", function () {
  var heading = document.querySelector("[data-focus-after-swap]");
  if (heading) { heading.focus(); }
});

// A live character count under text areas with a limit (the limit is also in the hint).
function updateCount(area) {
  var out = document.getElementById(area.id + "-count");
  if (!out) { return; }
  var left = parseInt(area.dataset.limit, 10) - area.value.length;
  var template = left >= 0 ? area.dataset.countLeft : area.dataset.countOver;
  out.textContent = template.replace("{n}", Math.abs(left));
  out.classList.toggle("field-error", left < 0);
}
document.addEventListener("input", function (event) {
  if (event.target.matches && event.target.matches("textarea[data-limit]")) {
    updateCount(event.target);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("textarea[data-limit]").forEach(updateCount);
});
