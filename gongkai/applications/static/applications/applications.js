/* 依申请公开: small helpers for the forms. The pages work without them. */
(function () {
  /* Print buttons. */
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  /* Applicant type: a person gives an identity document, an organisation its credit code. */
  var type = document.querySelector("select[name$=applicant_type]");
  if (type) {
    var person = document.querySelectorAll("[data-for=person]");
    var org = document.querySelectorAll("[data-for=org]");
    var sync = function () {
      var isPerson = type.value === "natural_person";
      person.forEach(function (el) { el.hidden = !isPerson; });
      org.forEach(function (el) { el.hidden = isPerson; });
    };
    type.addEventListener("change", sync);
    sync();
  }

  /* Drafting a reply: pre-fill the usual legal basis and show the 3.4.1 questions. */
  var decision = document.querySelector("select[name$=decision][data-basis]");
  if (decision) {
    var defaults = JSON.parse(document.getElementById(decision.getAttribute("data-basis")).textContent);
    var form = decision.form;
    var basis = form.querySelector("textarea[name$=legal_basis]");
    var notHeld = form.querySelectorAll("input[name$=not_held]");
    var notHeldBox = form.querySelector("[data-when=not_held]");
    var otherBox = form.querySelector("[data-when=not_this_organ]");
    /* 3.3.8 (条例36(七)) and 3.5.3 (条例39②) say where and how to query or obtain. */
    var referralBox = form.querySelector("[data-when=referral]");
    var known = Object.keys(defaults).map(function (k) { return defaults[k]; });
    var refresh = function () {
      var chosen = form.querySelector("input[name$=not_held]:checked");
      var isNotHeld = decision.value === "3.4.1";
      var other = isNotHeld && chosen && chosen.value === "not_this_organ";
      if (notHeldBox) notHeldBox.hidden = !isNotHeld;
      if (otherBox) otherBox.hidden = !other;
      if (referralBox) referralBox.hidden = ["3.3.8", "3.5.3"].indexOf(decision.value) === -1;
      var wanted = other ? defaults.not_this_organ : defaults[decision.value];
      /* Only replace an empty basis or one the form filled in, never the drafter's own. */
      if (wanted && (basis.value.trim() === "" || known.indexOf(basis.value) !== -1)) {
        basis.value = wanted;
      }
    };
    decision.addEventListener("change", refresh);
    notHeld.forEach(function (input) { input.addEventListener("change", refresh); });
    refresh();
  }
})();
