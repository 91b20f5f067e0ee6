/* Larger text and high contrast persist across pages (适老化). Loaded in <head> without defer, so
   the classes are set before the first paint (no flash); a file, not inline, for the CSP. */
(function () {
  try {
    var d = document.documentElement;
    if (localStorage.getItem("gk-large") === "1") d.classList.add("large-text");
    if (localStorage.getItem("gk-contrast") === "1") d.classList.add("high-contrast");
  } catch (e) {}
})();
