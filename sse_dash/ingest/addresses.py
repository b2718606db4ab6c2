"""Web addresses of sources: is an address only a site's home page, and the form two addresses are compared in."""

from __future__ import annotations

from urllib.parse import urlsplit

# Last path segments that are a site's front page, not a page of its own (`https://host/index.html`).
ROOT_PAGES = frozenset(
    {"index", "index.html", "index.htm", "index.php", "index.asp", "index.aspx", "default.aspx", "home"}
)


def is_home_page(url: str) -> bool:
    """True when `url` names only a site (`https://host/`, `https://host/index.html`), not a page a reader can follow.

    An address with a query (`?p=123`, `?articleID=...`) names a page, so it is not a home page.
    """
    parts = urlsplit(url.strip())
    if parts.query:
        return False
    segments = [s for s in parts.path.split("/") if s]
    return not segments or (len(segments) == 1 and segments[0].lower() in ROOT_PAGES)


def comparable(url: str) -> str:
    """`url` in the form two addresses of one page share: no scheme, no `www.`, lower-case host, no final `/`."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")
