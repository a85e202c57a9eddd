"""The tracker side of TraX in pure Python (standard library only), for siambench and the VOT toolkit.

Two levels, as in the reference:
- ``Server``: the protocol (hello, wait for a request, reply with states, quit), versions 1 to 4,
  on stdin/stdout or on the TCP port in ``TRAX_SOCKET``.
- ``VOT``: the calls of the VOT toolkit's ``vot.py`` wrapper (``VOT(region_format)``, ``region()``,
  ``objects()``, ``frame()``, ``report(region, confidence)``, ``quit()``), so that an existing
  integration runs with ``import siambench_trax as vot`` instead of ``import vot``.

Nothing here needs the native ``libtrax``. Messages are written the way the reference writes them
(every argument quoted, a space after each), so the reference client reads them too.
"""

import base64
import collections
import os
import re
import socket
import sys

Rectangle = collections.namedtuple("Rectangle", ["x", "y", "width", "height"])
Point = collections.namedtuple("Point", ["x", "y"])
Polygon = collections.namedtuple("Polygon", ["points"])
Mask = collections.namedtuple("Mask", ["x", "y", "width", "height", "runs"])
Special = collections.namedtuple("Special", ["code"])
MemoryImage = collections.namedtuple("MemoryImage", ["width", "height", "format", "data"])
BufferImage = collections.namedtuple("BufferImage", ["mime", "data"])
Request = collections.namedtuple("Request", ["type", "image", "objects", "properties"])

_NAMES = {"hello": "hello", "initialize": "initialize", "frame": "frame", "state": "state", "status": "state", "quit": "quit"}
_KEY_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")


class TraxError(Exception):
    pass


def _valid_key(key):
    return len(key) <= 64 and all(c in _KEY_CHARS for c in key)


_QUOTED = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(?= |$)', re.S)
_OPEN_QUOTE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_UNQUOTED = re.compile(r'[^ ]*')
_ESCAPE = re.compile(r'\\(.)', re.S)


def _unescape(s):
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), s) if "\\" in s else s


def parse_line(line):
    """(type, args, props) for a TraX line, None for other output; raises TraxError on a broken message."""
    if not line.startswith("@@TRAX:"):
        return None
    i = 7
    while i < len(line) and line[i].isalnum():
        i += 1
    name = _NAMES.get(line[7:i].lower())
    if name is None or (i < len(line) and line[i] != " "):
        return None
    args, props = [], {}
    while i < len(line):
        if line[i] in " \r":
            i += 1
            continue
        quoted = line[i] == '"'
        # Regular expressions, not a loop per character: a memory image is a 350 KB line.
        m = (_QUOTED if quoted else _UNQUOTED).match(line, i)
        if m is None:
            raise TraxError("a character follows a closing quote" if _OPEN_QUOTE.match(line, i) else "a quoted argument is not closed")
        token = _unescape(m.group(1) if quoted else m.group(0))
        eq = token.find("=")
        key = token[:eq] if eq >= 0 else None
        if key is not None and (quoted or key) and _valid_key(key):
            props[key] = token[eq + 1 :]
        else:
            args.append(token)
        i = m.end()
    return name, args, props


def _escape(s):
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_message(name, args=(), props=None):
    out = "@@TRAX:" + name + " "
    for a in args:
        out += '"' + _escape(a) + '" '
    for k, v in (props or {}).items():
        out += '"' + k + "=" + _escape(str(v)) + '" '
    return out + "\n"


def _atof(s):
    s = s.strip()
    for end in range(len(s), 0, -1):
        try:
            return float(s[:end])
        except ValueError:
            pass
    return 0.0


def parse_region(text):
    """A region from its TraX text (commas only, as the reference reads it)."""
    kind, body = None, text
    head, sep, rest = text.partition(":")
    if sep and head in ("rect", "poly", "mask", "special"):
        kind, body = head, rest
    v = [_atof(x) for x in body.split(",")]
    if kind == "mask":
        n = [int(x) for x in v]
        return Mask(n[0], n[1], n[2], n[3], n[4:])
    if any(x != x for x in v):
        return Special(int(-v[3]) if len(v) == 4 and v[3] == v[3] else 0)
    if kind == "special" or (kind is None and len(v) == 1):
        return Special(int(v[0]))
    if len(v) == 4 and kind in (None, "rect"):
        return Rectangle(*v)
    if len(v) >= 6 and len(v) % 2 == 0:
        return Polygon([Point(v[k], v[k + 1]) for k in range(0, len(v), 2)])
    raise TraxError("not a region: " + text)


def format_region(r):
    if isinstance(r, Rectangle):
        return ",".join("%.4f" % x for x in r)
    if isinstance(r, Polygon):
        return ",".join("%.4f,%.4f" % (p[0], p[1]) for p in r.points)
    if isinstance(r, Mask):
        return "mask:" + ",".join(str(int(x)) for x in [r.x, r.y, r.width, r.height] + list(r.runs))
    if isinstance(r, Special):
        return str(int(r.code))
    if r is None:
        return "0,0,0,0"
    return ",".join("%.4f" % x for x in r)


def parse_image(text):
    """A path for path images (file:// stripped), MemoryImage, BufferImage, or the URL as given."""
    if text.startswith("file://"):
        return text[7:]
    if text.startswith("image:"):
        w, h, fmt, data = text[6:].split(";", 3)
        return MemoryImage(int(w), int(h), fmt.lower(), base64.b64decode(data))
    if text.startswith("data:"):
        mime, data = text[5:].split(";", 1)
        return BufferImage(mime.lower(), base64.b64decode(data))
    if text.startswith("file:"):
        return text[5:]
    return text


class Server:
    """A TraX server: sends the hello on construction; wait() returns Request(type, image, objects, properties)."""

    def __init__(self, region_formats, image_formats, channels=("color",), name="", description="", family="",
                 custom=None, multiobject=False, version=4):
        self.regions = list(region_formats)
        self.images = list(image_formats)
        self.channels = [c for c in ("color", "depth", "ir") if c in channels]
        self.multiobject = multiobject and version >= 4
        self.version = version
        self.objects = 0
        port = os.environ.get("TRAX_SOCKET")
        if port:
            self._sock = socket.create_connection(("127.0.0.1", int(port)))
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._in = self._sock.makefile("rb")
            self._out = self._sock.makefile("wb")
        else:
            self._in, self._out = sys.stdin.buffer, sys.stdout.buffer
            # The protocol owns stdout: a stray print() from the tracker goes to stderr instead.
            sys.stdout = sys.stderr
        props = {"trax.version": str(version), "trax.name": name, "trax.description": description,
                 "trax.family": family, "trax.image": ";".join(self.images) + ";",
                 "trax.region": ";".join(self.regions) + ";", "trax.channels": ";".join(self.channels) + ";"}
        if self.multiobject:
            props["trax.multiobject"] = "1"
        props.update(custom or {})
        self._send(format_message("hello", [], props))

    def _send(self, text):
        self._out.write(text.encode("utf-8", "surrogateescape"))
        self._out.flush()

    def _read(self):
        while True:
            raw = self._in.readline()
            if not raw:
                return None
            m = parse_line(raw.decode("utf-8", "surrogateescape").rstrip("\r\n"))
            if m is not None:
                return m

    def _images(self, args):
        if len(args) != len(self.channels):
            raise TraxError("%d images for %d channels" % (len(args), len(self.channels)))
        return {c: parse_image(a) for c, a in zip(self.channels, args)}

    def wait(self):
        """The next request: initialize (with the objects and the frame), frame (with new objects), or quit."""
        objects, reset = [], False
        while True:
            m = self._read()
            if m is None or m[0] == "quit":
                return Request("quit", None, [], m[2] if m else {})
            name, args, props = m
            if self.version < 4:
                if name == "initialize":
                    self.objects = 1
                    image = self._images(args[:-1])
                    return Request("initialize", image, [(parse_region(args[-1]), props)], props)
                return Request("frame", self._images(args), [], props)
            if name == "initialize":
                if not args:
                    reset, objects, self.objects = True, [], 0
                    continue
                objects.append((parse_region(args[0]), props))
                continue
            if name != "frame":
                raise TraxError("unexpected message " + name)
            first = self.objects == 0 or reset
            self.objects += len(objects)
            if self.objects == 0:
                raise TraxError("No object was given to track")
            return Request("initialize" if first else "frame", self._images(args), objects, props)

    def status(self, objects):
        """Replies with one state per object: regions, or (region, properties) pairs."""
        for o in objects:
            region, props = o if isinstance(o, tuple) and len(o) == 2 and isinstance(o[1], dict) else (o, {})
            self._send(format_message("state", [format_region(region)], {k: str(v) for k, v in props.items()}))

    def quit(self, reason=None):
        try:
            self._send(format_message("quit", [], {"trax.reason": reason} if reason else {}))
        except (BrokenPipeError, OSError):
            pass


class VOT(object):
    """The VOT toolkit's vot.py calls. ``image`` (not in vot.py) asks for memory images: pixels, no decoder needed."""

    def __init__(self, region_format, channels=None, multiobject=None, image="path"):
        channel_list = {None: ["color"], "rgbd": ["color", "depth"], "rgbt": ["color", "ir"], "ir": ["ir"]}[channels]
        if multiobject is None:
            multiobject = os.environ.get("VOT_MULTI_OBJECT") == "1"
        self._multi = multiobject
        self._server = Server([region_format], [image], channel_list, custom={"vot": "python"}, multiobject=multiobject)
        request = self._server.wait()
        if request.type != "initialize":
            raise TraxError("expected an initialisation, got " + request.type)
        self._objects = [r for r, _ in request.objects]
        self._image = self._pick(request.image)
        # As vot.py does: the initialisation is answered at once with the regions given.
        self._server.status(self._objects)

    def _pick(self, image):
        return image[self._server.channels[0]] if len(image) == 1 else [image[c] for c in self._server.channels]

    def region(self):
        return self._objects[0]

    def objects(self):
        return list(self._objects)

    def frame(self):
        """The initialisation frame on the first call, then each next frame; None when the session ends."""
        if self._image is not None:
            image, self._image = self._image, None
            return image
        request = self._server.wait()
        if request.type != "frame":
            return None
        return self._pick(request.image)

    def report(self, status, confidence=None):
        regions = status if self._multi else [status]
        if confidence is None:
            self._server.status(regions)
        else:
            values = confidence if self._multi else [confidence]
            self._server.status([(r, {"confidence": c}) for r, c in zip(regions, values)])

    def quit(self):
        self._server.quit()
