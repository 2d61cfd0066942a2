// The public notice form's proof of work (see FormGuard): find a counter such that SHA-256(challenge + ":" + counter)
// starts with the required number of zero bits, while the person fills in the form. The button is never disabled, so a
// submit before the work is done is answered with a clear message and a new challenge rather than blocked silently.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.crypto || !window.crypto.subtle) return;
  var bits = parseInt(form.getAttribute("data-pow-bits") || "0", 10);
  var challenge = document.getElementById("Challenge").value;
  var counter = document.getElementById("Counter");
  var status = document.getElementById("pow-status");
  var encoder = new TextEncoder();

  function leadingZeroBits(bytes, needed) {
    for (var i = 0; i < needed; i++) {
      if ((bytes[i >> 3] & (0x80 >> (i & 7))) !== 0) return false;
    }
    return true;
  }

  async function solve() {
    for (var n = 0; ; n++) {
      var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + n)));
      if (leadingZeroBits(digest, bits)) return String(n);
    }
  }

  solve().then(function (found) {
    counter.value = found;
    status.textContent = status.getAttribute("data-ready");
    form.setAttribute("data-pow", "ready");
  });
})();
