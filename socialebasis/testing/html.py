"""HTML checks shared by tests: inline code that the Content-Security-Policy forbids."""

from html.parser import HTMLParser

SCRIPT_TYPES_THAT_ARE_DATA = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data"}


class InlineCodeFinder(HTMLParser):
    """Collects inline scripts, on* handlers, style attributes and javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []
        self._script_line = None
        self._script_has_src = False

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append((line, f"event handler attribute {name}="))
            if name == "style":
                self.problems.append((line, "inline style attribute"))
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append((line, f"javascript: URL in {name}="))
        if tag == "style":
            self.problems.append((line, "inline <style> element"))
        if tag == "script":
            kind = (names.get("type") or "").strip().lower()
            if "src" not in names and kind not in SCRIPT_TYPES_THAT_ARE_DATA:
                self._script_line = line
                self._script_has_src = False

    def handle_data(self, data):
        if self._script_line is not None and data.strip():
            self.problems.append((self._script_line, "inline <script>"))
            self._script_line = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_line = None


def inline_code(html: str) -> list[tuple[int, str]]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
