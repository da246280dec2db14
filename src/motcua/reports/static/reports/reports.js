// Report pages: on a wide screen, open what a phone keeps behind a disclosure (the report
// form, Biểu 06's full table); on a phone they stay closed under their summary. Without
// JavaScript every disclosure still opens with a tap.
(function () {
  "use strict";
  function openOnWideScreens() {
    if (!window.matchMedia("(min-width: 900px)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openOnWideScreens);
  else openOnWideScreens();
})();
