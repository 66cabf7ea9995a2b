// 智慧党建: the little behaviour pages need, driven by data attributes.
// The Content-Security-Policy allows no inline script and no on*="..." handlers, so templates mark
// elements and this file (loaded by web/base.html) attaches the behaviour:
//   data-confirm="问题"        a form asks before it submits; a button or link before it acts
//   data-autosubmit            a select or input submits its form when it changes
//   data-submit-on-load        a form submits itself once the page has loaded (its buttons disabled)
//   data-check-all=".pick"     a checkbox ticks or clears every checkbox matching the selector
//   data-select-on-focus       an input selects its whole text when clicked (copying a URL)
//   data-print                 a button prints the page
//   data-history-back          a link goes back in history (its href is the fallback)
//   data-expanded-text="▾"     an htmx button disables itself after its request and shows this text
//   data-read-beacon="URL"     a reading page counts a view on load and, when it is
//                              first hidden or left, the seconds it was visible and whether the element
//                              [data-read-end] inside it came into view (navigator.sendBeacon, batched
//                              server-side); [data-share-copy="URL"] copies the link and counts a share
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var asking = target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
    if (asking && !window.confirm(asking.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var all = target.closest("input[data-check-all]");
    if (all) {
      document.querySelectorAll(all.dataset.checkAll).forEach(function (box) { box.checked = all.checked; });
    }
    var field = target.closest("[data-select-on-focus]");
    if (field && typeof field.select === "function") { field.select(); }
    if (target.closest("[data-print]")) { window.print(); }
    var back = target.closest("a[data-history-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof Element && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail && event.detail.elt;
    if (el instanceof HTMLElement && el.dataset.expandedText) {
      el.disabled = true;
      el.textContent = el.dataset.expandedText;
    }
  });

  function readBeacon() {
    var page = document.querySelector("[data-read-beacon]");
    if (!page || !navigator.sendBeacon || !window.FormData) { return; }
    var url = page.dataset.readBeacon;
    function send(kind, extra) {
      var body = new FormData();
      body.append("kind", kind);
      Object.keys(extra || {}).forEach(function (k) { body.append(k, extra[k]); });
      try { navigator.sendBeacon(url, body); } catch (e) { /* counting never breaks reading */ }
    }
    var visibleMs = 0;
    var shownAt = document.visibilityState === "visible" ? Date.now() : null;
    var reached = false;
    var left = false;
    send("view");
    var end = page.querySelector("[data-read-end]");
    if (end && window.IntersectionObserver) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { reached = true; observer.disconnect(); }
      });
      observer.observe(end);
    }
    function leave() {
      if (shownAt !== null) { visibleMs += Date.now() - shownAt; shownAt = null; }
      if (left) { return; }
      left = true;
      send("leave", { seconds: String(Math.round(visibleMs / 1000)), end: reached ? "1" : "0" });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { leave(); } else if (shownAt === null) { shownAt = Date.now(); }
    });
    window.addEventListener("pagehide", leave);
    page.querySelectorAll("[data-share-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var link = button.dataset.shareCopy;
        if (navigator.clipboard) { navigator.clipboard.writeText(link).catch(function () {}); }
        if (button.dataset.copiedText) { button.textContent = button.dataset.copiedText; }
        send("share");
      });
    });
  }

  function onLoad() {
    readBeacon();
    document.querySelectorAll("form[data-submit-on-load]").forEach(function (form) {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      form.submit();
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", onLoad); } else { onLoad(); }
})();
