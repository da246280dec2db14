/* A file over the limit is refused in the browser before anything is sent (issue 17 §2):
   each <input type="file" data-max-bytes="N"> checks the files chosen, says which one is too
   large beside the field (aria-invalid, the field's hint) and is emptied; a form still holding
   one is not sent. Without JavaScript the server answers the same on the page. */
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "vi").slice(0, 2);
  function sizeText(n) {
    var mb = n / (1024 * 1024);
    if (mb >= 1) {
      var t = (Math.round(mb * 10) / 10).toString();
      return (lang === "vi" ? t.replace(".", ",") : t) + " MB";
    }
    if (n >= 1024) { return Math.max(1, Math.round(n / 1024)).toLocaleString(lang === "vi" ? "vi-VN" : "en") + " KB"; }
    return n.toLocaleString(lang === "vi" ? "vi-VN" : "en") + " byte";
  }
  function message(name, limit) {
    return lang === "en"
      ? "The file “" + name + "” is larger than the " + sizeText(limit) + " limit and was not sent: choose a smaller file (for example, take the photo or scan again at a lower resolution)."
      : "Tệp “" + name + "” lớn hơn giới hạn " + sizeText(limit) + " nên chưa được gửi: chọn tệp nhỏ hơn (ví dụ chụp lại hoặc quét với độ phân giải thấp hơn).";
  }
  function errorOf(input) {
    var id = "size-" + input.id, p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.className = "error";
      p.id = id;
      p.setAttribute("role", "alert");
      input.parentNode.insertBefore(p, input.nextSibling);
    }
    return p;
  }
  function check(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10), big = null, i;
    if (!limit || !input.files) { return true; }
    for (i = 0; i < input.files.length; i++) {
      if (input.files[i].size > limit) { big = input.files[i]; break; }
    }
    var field = input.closest(".field"), described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    var id = "size-" + input.id;
    if (big) {
      errorOf(input).textContent = message(big.name, limit);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-size-invalid", "1");
      if (described.indexOf(id) < 0) { described.push(id); }
      if (field) { field.classList.add("invalid"); }
      input.value = "";
    } else {
      var old = document.getElementById(id);
      if (old) { old.remove(); }
      described = described.filter(function (d) { return d !== id; });
      if (input.hasAttribute("data-size-invalid")) {
        input.removeAttribute("data-size-invalid");
        if (!described.some(function (d) { return d.indexOf("e-") === 0; })) { input.removeAttribute("aria-invalid"); }
        if (field && !field.querySelector(".error")) { field.classList.remove("invalid"); }
      }
    }
    input.setAttribute("aria-describedby", described.join(" "));
    return !big;
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) { check(input); }
  });
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]"), ok = true, i;
    for (i = 0; i < inputs.length; i++) { ok = check(inputs[i]) && ok; }
    if (!ok) { event.preventDefault(); }
  });
}());
