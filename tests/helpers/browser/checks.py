"""What every page must meet in the browser: axe-core, phone width, visible focus."""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from .site import artifacts_dir, unwatched

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
AXE_RESULT_TYPES = ("passes", "violations", "incomplete", "inapplicable")
MIN_BUTTON_HEIGHT = 44

_axe = Axe()
# Page name -> how many rules axe ran there and with what outcome, for artifacts/.
axe_runs: dict[str, dict] = {}


def axe_violations(page: Page, name: str) -> list[str]:
    """Run axe-core's WCAG 2.2 AA rules on the page; return one line per failing element."""
    with unwatched(page):
        results = _axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": list(AXE_TAGS)},
                "resultTypes": ["violations"],
            },
        ).response
    counts = {kind: len(results[kind]) for kind in AXE_RESULT_TYPES}
    axe_runs[name] = {
        "path": page.url.split("//", 1)[-1].split("/", 1)[-1],
        "axe_version": results["testEngine"]["version"],
        # A rule can pass on some elements and need review on others: count each rule once.
        "rules_run": len({rule["id"] for kind in AXE_RESULT_TYPES for rule in results[kind]}),
        **counts,
        "incomplete_rules": [rule["id"] for rule in results["incomplete"]],
    }
    write_axe_report()
    return [
        f"{name} ({page.url}): {rule['id']} [{rule['impact']}] {rule['help']}\n"
        f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}\n"
        f"    {node['failureSummary']}".rstrip()
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


def write_axe_report() -> None:
    """Save what axe has run on each page so far to artifacts/axe-report.json."""
    artifacts_dir().mkdir(parents=True, exist_ok=True)
    path = artifacts_dir() / "axe-report.json"
    path.write_text(json.dumps(axe_runs, indent=2) + "\n")


LAYOUT_SCRIPT = """
([width, minHeight]) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== "hidden";
  };
  const name = (el) => `<${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 40)}"`;
  const problems = [];
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > width) {
    problems.push(`scrolls sideways: ${scrollWidth}px of content on a ${width}px screen`);
  }
  for (const el of document.querySelectorAll("body *")) {
    if (visible(el) && el.getBoundingClientRect().right > width + 0.5) {
      problems.push(`${name(el)} reaches ${Math.round(el.getBoundingClientRect().right)}px`);
    }
  }
  // Boxes that sit on top of each other, as when a negative margin pulls text over text.
  for (const el of document.querySelectorAll("main *, header *, footer *")) {
    const next = el.nextElementSibling;
    if (!next || !visible(el) || !visible(next)) continue;
    const a = el.getBoundingClientRect();
    const b = next.getBoundingClientRect();
    const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (across > 1 && down > 1) {
      problems.push(`${name(next)} overlaps ${name(el)} by ${Math.round(down)}px`);
    }
  }
  for (const el of document.querySelectorAll("button, .btn, input[type=submit]")) {
    if (visible(el) && el.getBoundingClientRect().height < minHeight) {
      problems.push(`${name(el)} is ${el.getBoundingClientRect().height}px tall`);
    }
  }
  return problems;
}
"""


def layout_problems(page: Page, name: str) -> list[str]:
    """Return why the page does not fit its screen or has buttons too small to tap.

    The screen's width is the viewport the test asked for, not ``innerWidth``: a phone browser
    zooms out to show a page that is too wide, and ``innerWidth`` grows with it.
    """
    width = page.viewport_size["width"]
    problems = page.evaluate(LAYOUT_SCRIPT, [width, MIN_BUTTON_HEIGHT])
    return [f"{name}: {line}" for line in problems]


def assert_fits_phone(page: Page, name: str) -> None:
    problems = layout_problems(page, name)
    assert not problems, "\n".join(problems)


FOCUS_SCRIPT = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].textContent : el.textContent;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.type || "",
    text: label.trim().replace(/\\s+/g, " ").slice(0, 60),
    focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    ring: style.boxShadow !== "none",
  };
}
"""


def focused(page: Page) -> dict | None:
    """Describe the focused element and whether its focus indicator shows."""
    return page.evaluate(FOCUS_SCRIPT)


def describe(element: dict | None) -> str:
    if element is None:
        return "nothing"
    return f"<{element['tag']}{' #' + element['id'] if element['id'] else ''}> {element['text']!r}"


def assert_focus_visible(page: Page) -> dict:
    """Fail unless something is focused and shows a focus outline or ring; return it."""
    element = focused(page)
    assert element is not None, "keyboard focus is on nothing"
    assert element["focusVisible"] and (element["outline"] or element["ring"]), (
        f"focus is not visible on {describe(element)}: {element}"
    )
    return element


def screenshot(page: Page, name: str) -> None:
    folder = artifacts_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)
