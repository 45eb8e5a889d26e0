"""Read the form out of a served page: hidden inputs go back as they are, one value is picked
for each group of radio buttons, boxes stay unticked and submit buttons (Back) are never sent.
"""

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

Choose = Callable[[str, list[str]], str]


@dataclass
class Form:
    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)

    def answer(self, choose: Choose) -> list[tuple[str, str]]:
        """Return the body a person sends: the hidden inputs and one value per radio group."""
        picked = [(name, choose(name, values)) for name, values in self.radios.items()]
        return [*self.hidden, *picked]


class _FormParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__()
        self.url, self.form, self.inside, self.done = url, None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if self.done:
            return
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.form, self.inside = Form(attrs.get("action") or self.url), True
        elif tag == "input" and self.inside and attrs.get("name"):
            kind, name, value = attrs.get("type", "text"), attrs["name"], attrs.get("value", "")
            if kind == "hidden":
                self.form.hidden.append((name, value))
            elif kind == "radio":
                self.form.radios.setdefault(name, []).append(value)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def post_form(html: str, url: str = "") -> Form | None:
    """Return the page's first ``<form method="post">``; its action defaults to ``url``."""
    parser = _FormParser(url)
    parser.feed(html)
    return parser.form


def preferring(preferred: Mapping[str, str]) -> Choose:
    """Pick the preferred value of a fact when the page offers it, else the first one."""
    # A field is named by its fact (``employed``), or step and fact (``employment-employed``).
    return lambda name, values: next(
        (v for v in values if preferred.get(name.rsplit("-", 1)[-1]) == v), values[0]
    )


def weighted(weights: Mapping[str, Mapping[str, int]], rng: random.Random) -> Choose:
    """Pick at random, by ``weights[fact][value]`` where given, else uniformly."""

    def choose(name: str, values: list[str]) -> str:
        known = weights.get(name.rsplit("-", 1)[-1], {})
        return rng.choices(values, [known.get(v, 1) for v in values])[0]

    return choose


def name_of(path: str) -> str:
    """Return the stats entry of ``path``: one for all result pages, one for each other page."""
    path = urlsplit(path).path
    return "/result/<token>/" if path.startswith("/result/") else path
