// Progressive enhancement only; every page works without this file.

// After htmx swaps in new content, move focus to its heading so keyboard and
// screen-reader users know the page changed (htmx updates the title).
document.addEventListener("htmx:afterSettle", function () {
  var heading = document.querySelector("[data-focus-after-swap]");
  if (heading) { heading.focus(); }
});

// A live character count under text areas with a limit (the limit is also in the hint).
// The visible count follows every key; the spoken one waits until typing pauses.
var countTimers = {};
function updateCount(area, announce) {
  var out = document.getElementById(area.id + "-count");
  if (!out) { return; }
  var left = parseInt(area.dataset.limit, 10) - area.value.length;
  var template = left >= 0 ? area.dataset.countLeft : area.dataset.countOver;
  out.setAttribute("aria-live", announce ? "polite" : "off");
  out.textContent = template.replace("{n}", Math.abs(left));
  out.classList.toggle("field-error", left < 0);
}
document.addEventListener("input", function (event) {
  var area = event.target;
  if (!(area.matches && area.matches("textarea[data-limit]"))) { return; }
  updateCount(area, false);
  clearTimeout(countTimers[area.id]);
  countTimers[area.id] = setTimeout(function () { updateCount(area, true); }, 1000);
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("textarea[data-limit]").forEach(function (area) {
    updateCount(area, false);
  });
});
