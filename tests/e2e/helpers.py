"""Shared helpers of the browser tests: keyboard focus, htmx swaps, reading the results page."""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const rect = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    name: e.getAttribute('name') || '',
    text: (e.innerText || e.value || e.getAttribute('alt') || '').trim().slice(0, 80),
    href: e.getAttribute('href') || '',
    focusVisible: e.matches(':focus-visible'),
    outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
    inViewport: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
  };
}"""


def focused(page) -> dict | None:
    """What has keyboard focus, with whether a person can see it."""
    return page.evaluate(FOCUS_JS)


def assert_focus_visible(page) -> dict:
    """The focused element shows a focus ring of at least 2px and is on screen (WCAG 2.4.7)."""
    info = focused(page)
    assert info is not None, "nothing has focus"
    assert info["focusVisible"], f"focus not :focus-visible on {info}"
    assert info["outline"] >= 2, f"no visible focus outline on {info}"
    assert info["inViewport"], f"focused element is off screen: {info}"
    return info


def is_focused(page, selector: str, *, timeout_ms: int = 0) -> bool:
    """Whether the element matching ``selector`` has (or within ``timeout_ms`` gets) focus.

    Focus may move a moment after load (``autofocus``, htmx settling), so this waits rather
    than reading ``document.activeElement`` once, which made tests flaky on a loaded machine.
    ``timeout_ms`` 0 checks once (as ``tab_to`` does on every key press).
    """
    script = "(sel) => !!document.activeElement && document.activeElement.matches(sel)"
    if timeout_ms <= 0:
        return page.evaluate(script, selector)
    try:
        page.wait_for_function(
            "(sel) => !!document.activeElement && document.activeElement.matches(sel)",
            arg=selector,
            timeout=timeout_ms,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def tab_to(page, selector: str, *, max_steps: int = 30, key: str = "Tab") -> list[dict]:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has focus.

    Every stop on the way must show a visible focus ring. Returns the stops, the target last.
    """
    stops = []
    for _ in range(max_steps):
        page.keyboard.press(key)
        stops.append(assert_focus_visible(page))
        if is_focused(page, selector):
            return stops
    raise AssertionError(f"{selector} not reached with {max_steps} x {key}; stops: {stops}")


def expect_htmx_swap(page):
    """Call before an action that triggers htmx; the returned function waits for the swap.

    Waits until htmx has settled the new content (after search.js moved focus, if it does).
    """
    page.evaluate(
        """() => {
          window.__sbSettled = false;
          document.addEventListener('htmx:afterSettle', () => { window.__sbSettled = true; },
                                    {once: true});
        }"""
    )

    def wait():
        page.wait_for_function("() => window.__sbSettled === true")

    return wait


STATUS = re.compile(r"^(\d+) (?:resultaten|resultaat|results|result)\b")


def status_total(page) -> int:
    """The total from the status line ("53 resultaten binnen 2 km van 1055")."""
    text = page.locator("#result-status").inner_text().strip()
    match = STATUS.match(text)
    assert match, f"no result count in status {text!r}"
    return int(match.group(1))


def result_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("#results .sb-result h3").all_inner_texts()]


def located_titles(page) -> list[str]:
    """Titles of the results that have a location with a distance (those are on the map)."""
    return page.locator("#results .sb-result").evaluate_all(
        """els => els.filter(e => e.querySelector('.sb-distance'))
                     .map(e => e.querySelector('h3').innerText.trim())"""
    )


def marker_titles(page, map_selector: str = "#map") -> list[str]:
    """The titles (alt text) of the Leaflet markers drawn in the map."""
    return page.locator(f"{map_selector} .leaflet-marker-icon").evaluate_all(
        "els => els.map(e => e.getAttribute('alt'))"
    )


def wait_for_map(page, map_selector: str = "#map"):
    page.wait_for_selector(f"{map_selector}[data-map-ready]", state="attached")


def distance_m(text: str) -> float:
    """'820 m' -> 820, '1,3 km' -> 1300 (Dutch decimal comma)."""
    match = re.fullmatch(r"([\d.,]+)\s*(m|km)", text.strip())
    assert match, f"not a distance: {text!r}"
    value = float(match.group(1).replace(".", "").replace(",", "."))
    return value * 1000 if match.group(2) == "km" else value
