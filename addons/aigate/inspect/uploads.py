"""Text from uploaded files: plain text, PDF, DOCX, XLSX, PPTX and ZIP archives, all bounded in
bytes, member count, nesting depth and time. What cannot be read is reported with a reason so
the caller records it as unscanned, never as clean.

Office files are ZIP + XML: the text runs are read with linear regular expressions over each
bounded XML part (no XML parser, so no entity expansion to guard against).
"""

from __future__ import annotations

import html
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass, field

import re2

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed PDFs are common; we report them

TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/x-yaml",
    "application/yaml",
    "application/javascript",
    "application/x-ndjson",
    "application/csv",
    "application/sql",
)
_TEXT_EXTENSIONS = """
txt md csv tsv json jsonl xml yaml yml html htm log ini cfg conf toml env py js ts tsx jsx java
go rs c h cpp hpp cs rb php sh sql swift kt scala r m pl ps1 bat properties pem key tex rtf srt vtt
"""
TEXT_EXTENSIONS = frozenset("." + ext for ext in _TEXT_EXTENSIONS.split())
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM", b"II*\x00", b"MM\x00*")
_RUN = re.compile(r"<(?:w|a):t(?:\s[^>]*)?>([^<]*)</(?:w|a):t>|</(?:w|a):p>")
_CELL = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>|<v>([^<]*)</v>|</si>|</row>")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds for one upload (an archive's members share them)."""

    max_bytes: int = 25 * 1024 * 1024  # input size we are willing to open
    max_text: int = 4 * 1024 * 1024  # characters of text we extract in total
    max_members: int = 200
    max_depth: int = 2
    max_member_bytes: int = 20 * 1024 * 1024  # uncompressed size of one archive member
    max_pages: int = 200
    max_seconds: float = 2.0


DEFAULT_LIMITS = Limits()


@dataclass(slots=True)
class UploadText:
    """Texts extracted (name, text) and reasons for whatever could not be read."""

    texts: list[tuple[str, str]] = field(default_factory=list)
    unscanned: list[str] = field(default_factory=list)


class _Budget:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.chars = 0
        self.members = 0

    def expired(self) -> bool:
        return time.monotonic() > self.deadline


def is_text_like(filename: str | None, content_type: str | None, data: bytes) -> bool:
    """Text by declared type, by extension, or by sniffing (UTF-8 without NUL bytes)."""
    ctype = (content_type or "").lower()
    if ctype.startswith(TEXT_TYPES) or ctype.endswith(("+json", "+xml")):
        return True
    if filename and _ext(filename) in TEXT_EXTENSIONS:
        return True
    head = data[:8192]
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        return len(data) > len(head) and e.start > len(head) - 4  # cut at the sniff boundary
    return True


def extract_text(
    data: bytes,
    filename: str | None = None,
    content_type: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> UploadText:
    """Text of one uploaded file, or the reason it could not be read."""
    out = UploadText()
    _extract(data, filename or "upload", content_type, _Budget(limits), 0, out)
    return out


def _ext(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _add(out: UploadText, budget: _Budget, name: str, text: str) -> None:
    room = budget.limits.max_text - budget.chars
    if room <= 0:
        out.unscanned.append(f"{name}: text limit of {budget.limits.max_text} characters reached")
        return
    if len(text) > room:
        out.unscanned.append(
            f"{name}: text cut at the limit of {budget.limits.max_text} characters"
        )
        text = text[:room]
    budget.chars += len(text)
    if text.strip():
        out.texts.append((name, text))


def _extract(
    data: bytes, name: str, ctype: str | None, budget: _Budget, depth: int, out: UploadText
) -> None:
    if len(data) > budget.limits.max_bytes:
        out.unscanned.append(
            f"{name}: {len(data)} bytes is over the {budget.limits.max_bytes} limit"
        )
    elif budget.expired():
        out.unscanned.append(f"{name}: time limit of {budget.limits.max_seconds}s reached")
    elif data.startswith(b"%PDF-"):
        _pdf(data, name, budget, out)
    elif data.startswith(b"PK\x03\x04"):
        _zip(data, name, budget, depth, out)
    elif data.startswith(_IMAGE_MAGIC) or (ctype or "").startswith(("image/", "video/", "audio/")):
        out.unscanned.append(f"{name}: image/audio/video content is not scanned")
    elif is_text_like(name, ctype, data):
        _add(out, budget, name, data.decode("utf-8", "replace"))
    else:
        _binary(data, name, ctype, budget, out)


def _bytewise() -> re2.Options:
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1  # each byte one character: UTF-8 spelled out
    return options


# Eight or more characters in a row that a person could read: printable ASCII, tabs and line
# breaks, well-formed UTF-8 sequences (what `strings` finds, beyond ASCII).
_READABLE_RUN = re2.compile(
    rb"(?:[\t\n\r\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}){8,}",
    _bytewise(),
)


def _binary(data: bytes, name: str, ctype: str | None, budget: _Budget, out: UploadText) -> None:
    """Content that is not text by its type or sniff: its readable runs are scanned, so one
    stray byte (a NUL before a pasted key) does not hide the text around it. Unless those runs
    are most of it, it is also reported unscanned: an encrypted or compiled file is not read."""
    runs = _READABLE_RUN.findall(data)
    readable = sum(map(len, runs))
    if readable * 2 < len(data):
        what = "has no text" if not runs else "only its readable runs were scanned"
        out.unscanned.append(f"{name}: binary content ({ctype or 'unknown type'}) {what}")
    if runs:
        _add(out, budget, name, b"\n".join(runs).decode("utf-8", "replace"))


def _pdf(data: bytes, name: str, budget: _Budget, out: UploadText) -> None:
    from pypdf import PdfReader  # imported on first PDF: keeps proxy start-up light
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            out.unscanned.append(f"{name}: encrypted PDF")
            return
        parts = []
        for number, page in enumerate(reader.pages):
            if number >= budget.limits.max_pages:
                out.unscanned.append(f"{name}: pages after {number} not scanned (page limit)")
                break
            if budget.expired():
                out.unscanned.append(f"{name}: pages after {number} not scanned (time limit)")
                break
            parts.append(page.extract_text() or "")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        out.unscanned.append(f"{name}: unreadable PDF ({type(e).__name__})")
        return
    text = "\n".join(parts)
    if not text.strip():
        out.unscanned.append(f"{name}: PDF has no text layer (scanned image?)")
        return
    _add(out, budget, name, text)


def _zip(data: bytes, name: str, budget: _Budget, depth: int, out: UploadText) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError) as e:
        out.unscanned.append(f"{name}: unreadable ZIP ({e})")
        return
    names = {m.filename for m in members}
    if "word/document.xml" in names:
        _office(archive, name, budget, out, "word/", _RUN)
    elif "xl/workbook.xml" in names:
        _office(archive, name, budget, out, "xl/", _CELL)
    elif "ppt/presentation.xml" in names:
        _office(archive, name, budget, out, "ppt/slides/", _RUN)
    elif depth >= budget.limits.max_depth:
        out.unscanned.append(f"{name}: archive nested deeper than {budget.limits.max_depth}")
    else:
        for member in members:
            budget.members += 1
            if budget.members > budget.limits.max_members:
                out.unscanned.append(f"{name}: members after {budget.limits.max_members} skipped")
                return
            inner = _read_member(archive, member, name, budget, out)
            if inner is not None:
                _extract(inner, f"{name}/{member.filename}", None, budget, depth + 1, out)


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, budget: _Budget, out: UploadText
) -> bytes | None:
    """A member's bytes, read no further than the limit whatever its header claims."""
    label = f"{name}/{member.filename}"
    if member.flag_bits & 0x1:
        out.unscanned.append(f"{label}: encrypted archive member")
        return None
    limit = budget.limits.max_member_bytes
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, OSError, RuntimeError) as e:
        out.unscanned.append(f"{label}: unreadable member ({e})")
        return None
    if len(data) > limit:
        out.unscanned.append(f"{label}: larger than {limit} bytes uncompressed (bomb guard)")
        return None
    return data


def _office(
    archive: zipfile.ZipFile,
    name: str,
    budget: _Budget,
    out: UploadText,
    prefix: str,
    pattern: re.Pattern[str],
) -> None:
    parts = sorted(
        (
            m
            for m in archive.infolist()
            if m.filename.startswith(prefix) and m.filename.endswith(".xml")
        ),
        key=lambda m: _natural(m.filename),
    )
    texts = []
    room = budget.limits.max_text - budget.chars  # text past it is cut anyway: stop reading
    for member in parts[: budget.limits.max_members]:
        if room < 0:
            out.unscanned.append(f"{name}: {member.filename} and later parts not scanned "
                                 "(text limit)")
            break
        if budget.expired():
            out.unscanned.append(f"{name}: parts after {member.filename} not scanned (time limit)")
            break
        data = _read_member(archive, member, name, budget, out)
        if data is None:
            continue
        xml = data.decode("utf-8", "replace")
        pieces = []
        for m in pattern.finditer(xml):
            run = next((g for g in m.groups() if g is not None), None)
            pieces.append(html.unescape(run) if run is not None else "\n")
        texts.append("".join(pieces))
        room -= len(texts[-1]) + 1
    _add(out, budget, name, "\n".join(texts))


def _natural(path: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path))
