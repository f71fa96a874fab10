// Progressive enhancement only; every page works without this file.
document.documentElement.classList.add("js");

// After htmx swaps in new content, move focus to the error summary when there is one,
// else to the new heading, so keyboard and screen-reader users know the page changed
// (htmx updates the title from the response).
document.addEventListener("htmx:afterSettle", function () {
  var target = document.querySelector(".error-summary") ||
    document.querySelector("[data-focus-after-swap]");
  if (target) { target.focus(); }
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
  var toggle = document.querySelector("[data-shortcuts-switch]");
  if (toggle) { toggle.checked = shortcutsOn(); }
});

// The editors' inbox shortcuts (documented on the inbox page, WCAG 2.1.4): a key only moves
// focus, it never decides; they can be switched off, and they rest while typing.
function shortcutsOn() {
  try { return window.localStorage.getItem("wdp-shortcuts") !== "off"; } catch (e) { return true; }
}
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("[data-shortcuts-switch]")) {
    try { window.localStorage.setItem("wdp-shortcuts", event.target.checked ? "on" : "off"); }
    catch (e) { /* private mode: the switch lasts for this page only */ }
  }
});
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey || !shortcutsOn()) { return; }
  var el = event.target;
  if (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) { return; }
  var target = null;
  if (event.key === "v") {
    target = document.querySelector("[data-shortcut-next]");
  } else if (event.key === "b") {
    target = document.getElementById("decision");
  }
  if (target) {
    event.preventDefault();
    target.focus();
  }
});

// A link in the error summary: show the whole field (its error, question and hint), not only
// the box, and put the cursor in it. Without this file the browser jumps to the box itself
// (wdp.css gives it room above).
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
  if (!link) { return; }
  var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!input) { return; }
  event.preventDefault();
  (input.closest(".field") || input.closest("fieldset") || input).scrollIntoView();
  input.focus({ preventScroll: true });
  // A field taller than the window (400% zoom): the box itself must be in view.
  var box = input.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) {
    input.scrollIntoView({ block: "nearest" });
  }
});
