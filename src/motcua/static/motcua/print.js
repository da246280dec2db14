// The "print this page" button of the printable procedure sheet (no inline handler: the CSP
// allows scripts only from files). Without JavaScript the button stays hidden; the browser's
// own print command works the same.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
