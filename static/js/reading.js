/* Marks a reading section read when the student reaches its end or ticks it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var counter = document.querySelector("[data-read-count]");

  function csrfToken(form) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function markRead(form) {
    var box = form.querySelector("[data-read-toggle]");
    if (!box || box.disabled || form.dataset.sending) return;
    form.dataset.sending = "1";
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form), "X-Requested-With": "XMLHttpRequest" }
    }).then(function (res) {
      if (!res.ok) throw new Error("not saved");
      box.checked = true;
      box.disabled = true;
      if (counter) counter.textContent = String(document.querySelectorAll("[data-read-toggle]:checked").length);
    }).catch(function () {
      box.checked = false;
    }).finally(function () { delete form.dataset.sending; });
  }

  var forms = document.querySelectorAll("[data-read-form]");
  forms.forEach(function (form) {
    var box = form.querySelector("[data-read-toggle]");
    if (box) box.addEventListener("change", function () { if (box.checked) markRead(form); });
  });
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          markRead(entry.target.closest("[data-read-form]"));
        }
      });
    });
    forms.forEach(function (form) {
      var sentinel = form.querySelector("[data-read-sentinel]");
      if (sentinel) observer.observe(sentinel);
    });
  }
})();
