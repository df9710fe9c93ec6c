"""A news site on a local HTTP server (never the network): robots.txt, a feed, a sitemap, a list
page and articles, with ETags, a flaky page and a big one. It records every request."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.news.pages import news_page

Response = tuple[int, dict[str, str], bytes]


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Callable[[dict[str, str]], Response]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def _article(number: int) -> bytes:
    paragraphs = (
        f"第{number}篇:嘉兴市科技局发布第{number}批科技成果转化项目,涉及集成电路和新材料领域。",
        "项目总投资5.6亿元,带动就业1200人,较去年增长12.5%,其中湖州企业参与较多。",
        f"这是第{number}篇文章独有的一段文字,用于区分不同的文章内容编号{number}。" * 3,
    )
    return news_page(title=f"嘉兴发布第{number}批成果转化项目", paragraphs=paragraphs).encode()


def default_routes(site: Site) -> None:
    html = {"Content-Type": "text/html; charset=utf-8"}
    xml = {"Content-Type": "application/xml"}

    def fixed(status: int, headers: dict[str, str], body: bytes) -> Callable[..., Response]:
        return lambda _headers: (status, headers, body)

    site.routes["/robots.txt"] = fixed(
        200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<link>{site.base}/</link>"
        f"<item><link>{site.base}/news/1.html</link></item>"
        f"<item><link>{site.base}/news/2.html</link></item>"
        f"<item><link>{site.base}/private/3.html</link></item>"
        "<item><link>http://elsewhere.invalid/x.html</link></item>"
        "</channel></rss>"
    )
    site.routes["/feed.xml"] = fixed(200, xml, feed.encode())
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        f'<link href="{site.base}/"/>'
        f'<entry><link href="{site.base}/news/4.html"/></entry></feed>'
    )
    site.routes["/atom.xml"] = fixed(200, xml, atom.encode())
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.base}/news/5.html</loc></url></urlset>"
    )
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/sitemap.xml</loc></sitemap></sitemapindex>"
    )
    site.routes["/sitemap.xml"] = fixed(200, xml, sitemap.encode())
    site.routes["/sitemap-index.xml"] = fixed(200, xml, index.encode())
    listing = (
        "<html><body><ul>"
        '<li><a href="/news/6.html">六</a></li><li><a href="news/7.html#top">七</a></li>'
        '<li><a href="/about">关于</a></li><li><a href="/logo.png">图</a></li>'
        '<li><a href="javascript:void(0)">x</a></li></ul></body></html>'
    )
    site.routes["/list.html"] = fixed(200, html, listing.encode())
    for number in range(1, 8):
        body = _article(number)
        etag = f'"v{number}"'

        def page(headers: dict[str, str], body: bytes = body, etag: str = etag) -> Response:
            if headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {**html, "ETag": etag}, body

        site.routes[f"/news/{number}.html"] = page
    site.routes["/private/3.html"] = fixed(200, html, _article(3))
    site.routes["/big.html"] = fixed(200, html, b"<html>" + b"x" * 300_000 + b"</html>")
    calls = {"flaky": 0}

    def flaky(_headers: dict[str, str]) -> Response:
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            return 503, {"Retry-After": "3"}, b"busy"
        return 200, html, _article(8)

    site.routes["/flaky.html"] = flaky
    site.routes["/away.html"] = fixed(302, {"Location": "http://elsewhere.invalid/a.html"}, b"")
    site.routes["/moved.html"] = fixed(301, {"Location": "/news/1.html"}, b"")


@contextmanager
def serve(given: Site | None = None) -> Iterator[Site]:
    """Serves the site on 127.0.0.1 on a free port until the block ends."""
    site = given or Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            site.requests.append((self.path, headers))
            route = site.routes.get(self.path)
            status, extra, body = route(headers) if route else (404, {}, b"not found")
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    if not site.routes:
        default_routes(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
