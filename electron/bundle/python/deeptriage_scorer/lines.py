"""Lines of an input file as the engine reads them (electron/data/files/line-source.ts) and URL lines as a scan
classifies them (electron/scan/url-lines.ts).

Lines end at '\\n' (a final '\\r' is dropped, a UTF-8 BOM at the start is skipped, a trailing newline does
not start a new line); a line with a NUL byte, invalid UTF-8 or over 1 MiB is reported, not decoded.
"""
import csv
import gzip
import re

from .jsstr import JS_WS, JS_WS_CLASS, has_js_space, js_trim, utf16_len

MAX_LINE_BYTES = 1 << 20
MAX_URL_CHARS = 4096
URL_COLUMNS = ("url", "urls", "uri", "link", "domain")

_NOT_WS_SLASH = "[^/" + re.escape(JS_WS) + "]"
_URL_LIKE = (
    re.compile(r"[a-z][a-z0-9+.-]*://", re.I | re.A),
    re.compile(r"www\.", re.I | re.A),
    re.compile(_NOT_WS_SLASH + r"+\." + _NOT_WS_SLASH + r"+/"),
)
_L = r"[a-z0-9_\u0080-\U0010ffff]"
_LABEL = _L + r"(?:[a-z0-9_\u0080-\U0010ffff-]*" + _L + r")?"
_DOMAIN_LIKE = re.compile(_LABEL + r"(?:\." + _LABEL + r")*\.?\Z", re.I | re.A)
del JS_WS_CLASS


def is_url_like(s):
    return any(p.match(s) for p in _URL_LIKE)


def is_domain_like(s):
    n = utf16_len(s)
    return 0 < n <= 253 and _DOMAIN_LIKE.match(s) is not None


def is_url_or_host(s):
    """A URL, or a host name with a dot and maybe a path: what a scan scores (layout.ts isUrlOrHost)."""
    host = s.split("/", 1)[0]
    return is_url_like(s) or ("." in host and is_domain_like(host))


_LABEL_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,32}\Z", re.A)
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def url_label_pair(line):
    """The two trimmed cells of a headerless `url,label` line (layout.ts urlLabelPair), else None."""
    f = split_csv(line)
    if not isinstance(f, list) or len(f) != 2:
        return None
    url, label = js_trim(f[0]), js_trim(f[1])
    return (url, label) if is_url_or_host(url) and _LABEL_TOKEN.match(label) else None


LABEL_WORDS = frozenset((
    "0", "1", "-1", "true", "false", "yes", "no", "bad", "good", "malicious", "benign", "phishing", "phish", "legitimate", "legit",
    "clean", "safe", "unsafe", "spam", "malware", "defacement", "suspicious", "normal", "attack", "dga", "unknown",
))


def is_url_label_feed(lines):
    """A headerless url,label feed judged from the first readable lines (layout.ts isUrlLabelFeed): >= 90 %
    url,label pairs, one URL with a path, labels that are label words or a small repeated vocabulary."""
    sample = lines[:20]
    if not sample:
        return False
    ok = [p for p in (url_label_pair(js_trim(t)) for t in sample) if p]
    if len(ok) < 0.9 * len(sample) or not any("/" in u for u, _ in ok):
        return False
    labels = [l for _, l in ok]
    if all(l.lower() in LABEL_WORDS for l in labels):
        return True
    distinct = len(set(labels))
    return distinct <= 10 and distinct * 2 <= len(labels)


# head-lines.ts: a line with a C0 control byte other than tab, CR or ESC, or DEL, is not read as text.
_HEAD_CONTROL = re.compile("[\x00-\x08\x0a-\x0c\x0e-\x1a\x1c-\x1f\x7f]")
_BLANK = re.compile(r"[ \t\r\x0b\x0c]*\Z")


def list_sample(numbered):
    """The first 20 readable non-blank lines of (number, text, error) head lines, as the engine's scan samples them."""
    out = []
    for _n, t, e in numbered:
        if e is None and not _BLANK.match(t) and not _HEAD_CONTROL.search(t) and js_trim(t) != "":
            out.append(t)
            if len(out) == 20:
                break
    return out


def decode_line(b):
    """(text, None) or (None, reason) for one physical line without its '\\n'."""
    if b.endswith(b"\r"):
        b = b[:-1]
    if len(b) > MAX_LINE_BYTES:
        return None, "line longer than 1 MiB (%d bytes)" % len(b)
    if b"\x00" in b:
        return None, "NUL byte at column %d (binary data?)" % (b.index(b"\x00") + 1)
    try:
        return b.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, "invalid UTF-8"


def split_lines(data, first_line=1):
    """(line number, text or None, error or None) for each line of a bytes block of whole lines."""
    if data.startswith(b"\xef\xbb\xbf") and first_line == 1:
        data = data[3:]
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    for i, b in enumerate(parts):
        text, err = decode_line(b)
        yield first_line + i, text, err


def open_bytes(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def read_lines(path):
    """Every line of a plain or gzip file, numbered from 1."""
    with open_bytes(path) as f:
        data = f.read()
    return split_lines(data)


def split_csv(line, delimiter=","):
    """Fields of one CSV record: a plain split without quotes, RFC 4180 otherwise. Returns a list or a reason."""
    if '"' not in line:
        return line.split(delimiter)
    try:
        rows = list(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error as e:
        return "CSV quoting error: %s" % e
    if len(rows) != 1:
        return "CSV quoting error: %d records on one line" % len(rows)
    return rows[0]


class UrlLineParser:
    """One scan line -> ('url', url) | ('skip', reason) | ('header', None). The first non-blank, non-comment line
    may be a header naming the URL column (url, urls, uri, link, domain). `sample` (list_sample of the head)
    decides whether a headerless file is a url,label feed; without one the first line alone decides."""

    def __init__(self, column=None, first=True, sample=None):
        self.column = column
        self.first = first
        self.sample = sample

    def parse(self, text):
        t = js_trim(text)
        if self.first and t != "" and not t.startswith("#"):
            self.first = False
            cells = split_csv(t)
            if isinstance(cells, list) and len(cells) > 1:
                lower = [js_trim(c).lower() for c in cells]
                idx = next((i for i, c in enumerate(lower) if c in URL_COLUMNS), -1)
                if idx >= 0:
                    self.column = idx
                    return "header", None
            elif t.lower() in URL_COLUMNS:
                return "header", None
            # A headerless url,label feed: the URL is the first column on every line, never ",bad".
            sample = [l for l in self.sample if not js_trim(l).startswith("#")] if self.sample is not None else [t]
            if is_url_label_feed(sample):
                self.column = 0
        if t == "":
            return "skip", "empty"
        url = t
        if self.column is not None:
            cells = split_csv(t)
            if not isinstance(cells, list) or len(cells) <= self.column:
                return "skip", "notUrl"
            url = js_trim(cells[self.column])
        elif "," in t and not is_url_like(t):
            url = js_trim(t[: t.index(",")])
        if utf16_len(url) > MAX_URL_CHARS:
            return "skip", "tooLong"
        if has_js_space(url) or _CONTROL.search(url) or not is_url_or_host(url):
            return "skip", "notUrl"
        return "url", url
