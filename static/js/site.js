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
  /* Behaviour that templates ask for with data- attributes: the Content-Security-Policy allows
     no inline scripts or on*= handlers. */
  /* data-confirm on a form (asked on submit) or a button/link (asked on click). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]:not(form)");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
    var action = event.target.closest && event.target.closest("[data-action]");
    if (!action) return;
    if (action.getAttribute("data-action") === "print") { window.print(); }
    if (action.getAttribute("data-action") === "back" && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  /* data-remove-after-request="li": remove that ancestor once the htmx request is done. */
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail && event.detail.elt;
    var selector = el && el.getAttribute && el.getAttribute("data-remove-after-request");
    if (selector && el.closest(selector)) el.closest(selector).remove();
  });
  /* htmx sends the CSRF token with every request. */
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
})();
