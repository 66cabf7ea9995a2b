// 学习库: reports how far the reader got in a lesson (learning/library/material.html).
//   audio / video   the position every 15 s while playing, and on pause and at the end
//   article         100 % once the end of the text has been seen
//   document, link  100 % once it was opened and the end of the page has been seen
// Progress never goes back: only a percent above the last one recorded is sent; a phone that slept just
// sends its position again later. The server refuses anything else (400) and writes nothing.
(function () {
  "use strict";
  var box = document.getElementById("lesson-reader");
  if (!box || !box.dataset.progressUrl) {
    return;
  }
  var url = box.dataset.progressUrl;
  var sent = parseInt(box.dataset.progressStart || "0", 10) || 0;
  var busy = false;
  var token = "";
  try {
    token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (e) {
    token = "";
  }
  var bar = document.querySelector("[data-progress-bar]");
  var label = document.querySelector("[data-progress-label]");
  var message = document.querySelector("[data-progress-message]");

  function show(percent, text) {
    if (bar) {
      bar.style.width = percent + "%";
      bar.setAttribute("aria-valuenow", String(percent));
    }
    if (label) {
      label.textContent = percent + "%";
    }
    if (message && text) {
      message.textContent = text;
    }
  }

  function report(fields, percent) {
    if (busy || percent <= sent) {
      return;
    }
    busy = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (result.ok) {
          sent = Math.max(sent, result.data.percent);
          var text = result.data.completed ? box.dataset.completedText : result.data.done ? box.dataset.doneText : "";
          show(sent, text);
        } else if (result.data && result.data.message) {
          show(sent, result.data.message);
        }
      })
      .catch(function () {
        // offline for a moment: the next report carries the position again
      })
      .then(function () {
        busy = false;
      });
  }

  var media = box.querySelector("[data-progress-media]");
  if (media) {
    var fromMedia = function () {
      var duration = media.duration;
      if (!duration || !isFinite(duration)) {
        return;
      }
      var position = media.ended ? duration : Math.min(media.currentTime, duration);
      report(
        { position: position.toFixed(2), duration: duration.toFixed(2) },
        Math.floor((position * 100) / duration)
      );
    };
    setInterval(function () {
      if (!media.paused) {
        fromMedia();
      }
    }, 15000);
    media.addEventListener("pause", fromMedia);
    media.addEventListener("ended", fromMedia);
    return;
  }

  var end = box.querySelector("[data-progress-end]");
  var opener = box.querySelector("[data-progress-open]");
  var opened = !opener;
  var seen = false;
  function finish() {
    if (opened && seen) {
      report({ percent: "100" }, 100);
    }
  }
  if (opener) {
    opener.addEventListener("click", function () {
      opened = true;
      finish();
    });
  }
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          seen = true;
          finish();
        }
      });
    }).observe(end);
  }
})();
