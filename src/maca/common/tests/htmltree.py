"""A small HTML tree for tests, built with the standard library's `html.parser`, to check markup by structure."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["Element | str"] = field(default_factory=list)
    parent: "Element | None" = field(default=None, repr=False)

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def has(self, name: str) -> bool:
        return name in self.attrs

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def described_by(self) -> list[str]:
        return (self.attrs.get("aria-describedby") or "").split()

    @property
    def text(self) -> str:
        """The text inside, with runs of white space made one space."""
        return " ".join("".join(self._texts()).split())

    def _texts(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._texts()

    def iter(self) -> Iterator["Element"]:
        """This element and all elements inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> list["Element"]:
        """Elements inside (or this one) with the tag, the class and the attributes (`for_` for `for`)."""
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if cls is not None and cls not in element.classes:
                continue
            if any(element.attrs.get(name.rstrip("_").replace("_", "-")) != value for name, value in attrs.items()):
                continue
            found.append(element)
        return found

    def find(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> "Element":
        """The one element that matches; fails if there is not exactly one."""
        found = self.find_all(tag, cls=cls, **attrs)
        assert len(found) == 1, f"expected one {tag or ''}.{cls or ''} {attrs}, found {len(found)}"
        return found[0]

    def by_id(self, id_: str) -> "Element":
        found = [element for element in self.iter() if element.id == id_]
        assert len(found) == 1, f"expected one element with id {id_!r}, found {len(found)}"
        return found[0]

    def ids(self) -> list[str]:
        return [element.id for element in self.iter() if element.id]

    def ancestors(self) -> Iterator["Element"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, tag: str) -> "Element | None":
        return next((node for node in self.ancestors() if node.tag == tag), None)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        assert len(names) == len(set(names)), f"<{tag}> has a repeated attribute: {names}"
        element = Element(tag, dict(attrs), parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(markup: str) -> Element:
    """The document tree of an HTML fragment; fails on unbalanced tags or repeated attributes."""
    builder = _TreeBuilder()
    builder.feed(str(markup))
    builder.close()
    assert builder.stack == [builder.root], f"unclosed tags: {[e.tag for e in builder.stack[1:]]}"
    return builder.root


def check_references(root: Element) -> None:
    """The ids are unique, and every `for`, `aria-describedby`, `aria-controls` and in-page link names an element."""
    ids = root.ids()
    duplicates = sorted({id_ for id_ in ids if ids.count(id_) > 1})
    assert not duplicates, f"repeated ids: {duplicates}"
    known = set(ids)
    for element in root.iter():
        for name in ("for", "aria-controls"):
            if element.has(name):
                assert element.get(name) in known, f"<{element.tag} {name}={element.get(name)!r}> names no element"
        for id_ in element.described_by:
            assert id_ in known, f"<{element.tag} id={element.id!r}> is described by missing {id_!r}"
        href = element.get("href") or ""
        if element.tag == "a" and href.startswith("#"):
            assert href[1:] in known, f"link to missing #{href[1:]}"
        if element.tag == "label" and element.has("for"):
            target = root.by_id(element.get("for") or "")
            assert target.tag in {"input", "select", "textarea"}, f"label for <{target.tag}>"
