"""Debian's chromium, headless, driven by its own chromedriver, for the catalogue site's tests.

One browser is started for a whole test module (Chromium takes a second or
more to start); each page is then opened once and everything the tests ask
of it is read in that one visit: its title and first heading, what the
console said, every request it made, every link it holds (the HTML ones
and those in inline SVG) and every element id an anchor can reach.

The browser is kept off the network: host names resolve to nothing and
every request that would go out is sent to a proxy on a closed local port,
so a page that asks for something from elsewhere fails to get it, and the
request, seen in the DevTools performance log, fails the test that looks.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

#: The desktop width the screenshot is taken at; the height is what is left of the window for the page.
WIDTH, HEIGHT = 1280, 900

ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",  # the tests may run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    f"--window-size={WIDTH},{HEIGHT}",
    # Nothing reaches the network: no name resolves, and whatever would still go out goes to a closed port.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    # Nor does the browser itself call home: no updates, sync, metrics, safe-browsing lists or first-run pages.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--no-pings",
    "--no-first-run",
    "--no-default-browser-check",
)

MISSING = ("the site's browser tests need Debian's chromium and chromium-driver ({path} is missing): "
           "make test installs them when run as root; else sudo apt-get install chromium chromium-driver")


class BrowserMissing(RuntimeError):
    """Chromium or chromedriver is not installed, said with what installs them."""


def start(chromium: Path = CHROMIUM, chromedriver: Path = CHROMEDRIVER):
    """A headless Chromium through ``chromedriver``, given by path so that Selenium Manager never looks for one."""
    for path in (chromedriver, chromium):
        if not path.is_file():
            raise BrowserMissing(MISSING.format(path=path))
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for argument in ARGUMENTS:
        options.add_argument(argument)
    # The console (browser) and every DevTools event (performance), read after each page.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=str(chromedriver)), options=options)


@dataclass
class Visit:
    """What one page showed and did when opened."""

    path: Path
    title: str
    h1: str | None
    console: list[str]  # the SEVERE entries: errors, failed loads, uncaught exceptions
    requests: list[str]  # every URL the page asked for, itself first
    html_links: list[str]  # every HTML link's absolute URL (a[href], area[href])
    svg_links: list[str]  # and every inline SVG link's (a with href or xlink:href)
    ids: set[str]

    @property
    def links(self) -> list[str]:
        return self.html_links + self.svg_links


#: Read in the page in one call: its heading, links (resolved against the page, as a click would) and ids.
READ = """
const h1 = document.querySelector("h1");
const html = Array.from(document.querySelectorAll("a[href], area[href]"))
    .filter(a => !(a instanceof SVGElement)).map(a => a.href);
const svg = Array.from(document.querySelectorAll("svg a"), a => a.href.baseVal)  // href or xlink:href
    .filter(href => href).map(href => new URL(href, document.baseURI).href);
return {
    title: document.title,
    h1: h1 === null ? null : h1.textContent.trim(),
    html: html,
    svg: svg,
    ids: Array.from(document.querySelectorAll("[id]"), e => e.id),
};
"""


def visit(driver, path: Path) -> Visit:
    """Open ``path`` in the browser and read it; the logs are emptied first, so that they hold this page's only."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.resolve().as_uri())
    read = driver.execute_script(READ)
    console = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return Visit(path, read["title"], read["h1"], console, requests, read["html"], read["svg"], set(read["ids"]))


def file_in(url: str, folder: Path) -> Path | None:
    """The file a file:// URL names, if it lies inside ``folder`` (any other URL: None)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    root = folder.resolve()
    return path if path == root or root in path.parents else None


def outside(visit: Visit, folder: Path) -> list[str]:
    """The requests that left ``folder``: anything but a file inside it, an inline data: URL or about:blank."""
    return [url for url in visit.requests
            if not url.startswith(("data:", "about:")) and file_in(url, folder) is None]


def unresolved(visit: Visit, folder: Path, ids: dict[Path, set[str]]) -> list[str]:
    """The links of a page that lead nowhere: out of ``folder``, to a missing file, or to an id its page lacks.

    ``ids`` holds each page's ids, by its resolved path, as the browser saw them.
    """
    broken = []
    for link in visit.links:
        url, fragment = urldefrag(link)
        target = file_in(url, folder)
        if target is None or not target.is_file():
            broken.append(link)
        elif fragment and unquote(fragment) not in ids.get(target, set()):
            broken.append(link)
    return broken


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and every pixel (as RGB bytes) of an 8-bit RGB or RGBA PNG, decoded with zlib alone."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, compressed = 8, []
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        data = png[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data)
            assert (depth, colour in (2, 6), interlace) == (8, True, 0), (depth, colour, interlace)
        elif kind == b"IDAT":
            compressed.append(data)
    raw = zlib.decompress(b"".join(compressed))
    size = 3 if colour == 2 else 4
    stride = width * size
    previous, pixels = bytearray(stride), []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(size, stride):
                line[i] = (line[i] + line[i - size]) & 255
        elif kind == 2:  # Up
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:  # Average
            for i in range(stride):
                line[i] = (line[i] + ((line[i - size] if i >= size else 0) + previous[i]) // 2) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - size] if i >= size else 0
                b, c = previous[i], (previous[i - size] if i >= size else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels.extend(bytes(line[i:i + 3]) for i in range(0, stride, size))
        previous = line
    return width, height, pixels
