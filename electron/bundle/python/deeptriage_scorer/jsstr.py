"""JavaScript string semantics the engine relies on, so text is cut, trimmed and parsed as Node does.

The engine is TypeScript: String.prototype.trim, the regex class \\s, string length and slicing (UTF-16 code
units, not code points) and the unary + on a string differ from Python's str.strip, re's \\s, len and float.
"""
import re

# ECMAScript WhiteSpace + LineTerminator (what trim() removes and /\s/ matches).
JS_WS = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
JS_WS_CLASS = "[" + re.escape(JS_WS) + "]"
_HAS_WS = re.compile(JS_WS_CLASS)


def js_trim(s):
    return s.strip(JS_WS)


def has_js_space(s):
    return _HAS_WS.search(s) is not None


def utf16_len(s):
    if s.isascii():
        return len(s)
    return len(s.encode("utf-16-le")) // 2


_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\Z")
_RADIX = re.compile(r"0([xXoObB])([0-9a-fA-F]+)\Z")


def js_number(s):
    """Number(s) / +s: trims JS whitespace, '' is 0, accepts Infinity and 0x/0o/0b; anything else is NaN."""
    t = js_trim(s)
    if t == "":
        return 0.0
    if _DECIMAL.match(t):
        return float(t)
    m = _RADIX.match(t)
    if m:
        base = {"x": 16, "o": 8, "b": 2}[m.group(1).lower()]
        try:
            return float(int(m.group(2), base))
        except ValueError:
            return float("nan")
    return float("nan")
