/* Assigning: times are entered in the teacher's own time zone, so default the
 * zone field to the browser's and the opening time to "now" in that zone. */
(function () {
  "use strict";
  var form = document.querySelector("[data-time-zone-auto]");
  if (!form || !window.Intl || form.querySelector(".is-invalid")) return;
  var select = form.querySelector("select[name=time_zone]");
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!select || !zone || !select.querySelector("option[value='" + zone + "']") || select.value === zone) return;
  select.value = zone;
  var opens = form.querySelector("input[name=opens_at]");
  if (opens) {
    var d = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    opens.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
})();
