/* Larger-text and high-contrast toggles (适老化), remembered in localStorage across pages. */
(function () {
  var root = document.documentElement;
  var map = { large: ["gk-large", "large-text"], contrast: ["gk-contrast", "high-contrast"] };
  document.querySelectorAll("[data-toggle]").forEach(function (button) {
    var conf = map[button.getAttribute("data-toggle")];
    if (!conf) return;
    button.setAttribute("aria-pressed", root.classList.contains(conf[1]) ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !root.classList.contains(conf[1]);
      root.classList.toggle(conf[1], on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      try { localStorage.setItem(conf[0], on ? "1" : "0"); } catch (e) {}
    });
  });
  /* htmx sends the CSRF token with every request. */
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
})();
