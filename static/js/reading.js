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

  // One request at a time: reaching several short sections at once sends them in turn.
  var queue = Promise.resolve();

  function markRead(form) {
    var box = form.querySelector("[data-read-toggle]");
    if (!box || box.disabled || form.dataset.sending) return;
    form.dataset.sending = "1";
    queue = queue.then(function () { return send(form, box); });
  }

  function send(form, box) {
    return fetch(form.action, {
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
      // Try again later (signed out, offline): the student may still be reading.
      if (observer) window.setTimeout(function () { observer.observe(form.querySelector("[data-read-sentinel]")); }, 10000);
    }).finally(function () { delete form.dataset.sending; });
  }

  var forms = document.querySelectorAll("[data-read-form]");
  forms.forEach(function (form) {
    var box = form.querySelector("[data-read-toggle]");
    if (box) box.addEventListener("change", function () { if (box.checked) markRead(form); });
  });
  var observer = null;
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(function (entries) {
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
