"""Count the words a person sees in a page's <main> before opening any <details>."""

from html.parser import HTMLParser

# Elements whose content is never shown as text.
HIDDEN = {"script", "style", "template"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _VisibleText(HTMLParser):
    """Collect the text inside <main>, leaving out the bodies of closed <details>.

    A closed <details> shows only its <summary>, so text inside a <details> counts only
    while inside that <details>' own <summary>.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, shown)
        self.in_main = False
        self.chunks: list[str] = []

    def _shown(self) -> bool:
        return self.stack[-1][1] if self.stack else True

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag == "main":
            self.in_main = True
        shown = self._shown() and tag not in HIDDEN
        if tag == "details" and "open" not in dict(attrs):
            shown = False
        if tag == "summary" and self.stack and self.stack[-1][0] == "details":
            # The summary of a closed <details> is shown if the <details> itself is placed
            # where text is shown.
            shown = self._shown_outside_details()
        self.stack.append((tag, shown))

    def _shown_outside_details(self) -> bool:
        return self.stack[-2][1] if len(self.stack) > 1 else True

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "main":
            self.in_main = False

    def handle_data(self, data):
        if self.in_main and self._shown():
            self.chunks.append(data)


def visible_words(html: str) -> list[str]:
    """Return the words shown inside <main> with every <details> closed."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.chunks).split()
