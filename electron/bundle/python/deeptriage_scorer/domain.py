"""Domain handling of the engine (electron/data/domains/normalize-domain.ts, public-suffix.ts).

The public-suffix list itself travels in the bundle's encoding.json, so the engine stays its only source.
"""
import re
import unicodedata
from urllib.parse import unquote_to_bytes

from .jsstr import js_trim

_PRINTABLE = re.compile(r"[\x21-\x7e]+\Z")
# WHATWG forbidden domain code points: a host with one of these fails domainToASCII.
_FORBIDDEN = set("\x00\t\n\r #/:<>?@[\\]^|%\x7f") | {chr(c) for c in range(0x20)}
_DOTS = "\u3002\uff0e\uff61"
_HOST_END = re.compile(r"[/?#\\]")


def _to_ascii(s):
    """Node's url.domainToASCII (UTS #46, non-transitional) for the names met in practice: mapping by
    lower-casing + NFKC, full stops unified, each non-ASCII label as punycode. Returns '' on failure,
    as Node does. Node parses the input as a URL host (ws://INPUT): it ends at / ? # or \\, a ':' fails it,
    and it is percent-decoded. Rare UTS #46 cases (deviation characters, disallowed code points) may differ."""
    m = _HOST_END.search(s)
    if m:
        s = s[: m.start()]
    if not s or ":" in s:
        return ""
    if "%" in s:
        try:
            s = unquote_to_bytes(s).decode("utf-8")
        except UnicodeDecodeError:
            return ""
    t = unicodedata.normalize("NFKC", s.lower())
    for d in _DOTS:
        t = t.replace(d, ".")
    t = unicodedata.normalize("NFC", t)
    if any(c in _FORBIDDEN for c in t):
        return ""
    out = []
    for label in t.split("."):
        if label.isascii():
            out.append(label)
            continue
        try:
            out.append("xn--" + label.encode("punycode").decode("ascii"))
        except UnicodeError:
            return ""
    return ".".join(out)


def normalize_domain(value):
    """Trimmed, lower-cased, no root dot, ASCII (punycode). Returns (domain, None) or (None, reason)."""
    s = js_trim(value)
    if s.endswith("."):
        s = s[:-1]
    if len(s) == 0:
        return None, "empty domain"
    if not s.isascii():
        ascii_ = _to_ascii(s)
        if not ascii_:
            return None, 'not a valid internationalised domain name: "%s"' % s[:60]
        s = ascii_
    else:
        s = s.lower()
    if not _PRINTABLE.match(s) or "/" in s:
        return None, 'not a domain name: "%s"' % s[:60]
    if s.startswith(".") or s.endswith(".") or ".." in s:
        return None, 'empty label in "%s"' % s[:60]
    if len(s) > 253:
        return None, "domain longer than 253 characters (%d)" % len(s)
    return s, None


class PublicSuffixes:
    def __init__(self, suffixes):
        self.suffixes = frozenset(suffixes)
        self.max_labels = max((x.count(".") + 1 for x in self.suffixes), default=1)

    def strip(self, domain):
        """The name without its public suffix (longest listed multi-label suffix, else the last label) and a
        leading www.; the input unchanged when nothing would remain."""
        if domain in self.suffixes:
            return domain
        labels = domain.split(".")
        cut = 1
        for k in range(min(self.max_labels, len(labels) - 1), 1, -1):
            if ".".join(labels[len(labels) - k:]) in self.suffixes:
                cut = k
                break
        rest = labels[: len(labels) - cut]
        if len(rest) > 1 and rest[0] == "www":
            rest = rest[1:]
        return ".".join(rest) if rest and "".join(rest) != "" else domain
