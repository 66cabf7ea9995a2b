"""Helpers of the browser tests: sign in, and check a page fits a phone (no sideways scroll, 40 px taps)."""

from __future__ import annotations

import shutil
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
MIN_TAP = 40  # px: the smallest tap target on a phone


def login(page: Any, base: str, username: str, password: str = "demo12345") -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


# The visible controls a thumb must hit, smaller than MIN_TAP in height (or width, for icons). A link
# inside running text is not a control; a checkbox counts by its label when it has one.
_SMALL_TARGETS_JS = """(minTap) => {
  const bad = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const prose = 'p, li:not(.nav-item), .form-hint, .small, small, .text-secondary, .alert, dd, label';
  for (const el of document.querySelectorAll(sel)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    if (el.closest('[aria-hidden=true], .d-none')) continue;
    if (el.tagName === 'A' && !el.classList.contains('btn')) {
      const block = el.closest(prose);  // a link in running text is not a control
      if (block && block.innerText.trim().length > el.innerText.trim().length + 2) continue;
    }
    let h = box.height;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      const cell = el.closest('td, th');
      h = Math.max(h, label ? label.getBoundingClientRect().height : 0,
                   cell ? cell.getBoundingClientRect().height : 0);
    }
    const text = (el.innerText || el.value || el.name || '').trim().slice(0, 24);
    if (h < minTap - 0.5) bad.push(`${el.tagName.toLowerCase()} "${text}" ${Math.round(h)}px`);
  }
  return bad;
}"""


def assert_fits_a_phone(page: Any, where: str = "") -> None:
    """No sideways scroll at the page's width, and every control at least MIN_TAP px tall."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{where or page.url}: scrolls sideways ({width} > {viewport} px)"
    small = page.evaluate(_SMALL_TARGETS_JS, MIN_TAP)
    assert not small, f"{where or page.url}: tap targets under {MIN_TAP} px: {small[:10]}"
