// The answer sheet of a 随堂测试 (learning/exams/attempt.html), without inline script (the CSP):
//   form[data-exam-autosave]   every change is saved at once (POST with X-Requested-With: fetch);
//                              the server keeps the deadline, a refusal is shown as it answers
//   [data-exam-countdown=iso]  the time left, counted down; at zero the page reloads (graded)
//   [data-exam-status]         where "已保存" or the refusal is written
(function () {
  "use strict";
  var form = document.querySelector("form[data-exam-autosave]");
  var status = document.querySelector("[data-exam-status]");
  function say(text) { if (status) { status.textContent = text || ""; } }
  function word(key) { return status ? status.dataset[key] : ""; }
  if (form) {
    var timer = null;
    var save = function () {
      var data = new FormData(form);
      data.append("save", "1");
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().then(function (body) {
          say(response.ok ? word("saved") : (body.message || word("failed")));
        });
      }).catch(function () { say(word("offline")); });
    };
    form.addEventListener("change", function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, 400);
    });
  }
  var clock = document.querySelector("[data-exam-countdown]");
  if (clock) {
    var deadline = new Date(clock.getAttribute("data-exam-countdown")).getTime();
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      clock.textContent = clock.dataset.label + " " + m + ":" + (s < 10 ? "0" : "") + s;
      if (left === 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
