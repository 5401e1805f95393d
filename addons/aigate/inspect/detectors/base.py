"""What a detector is: data (id, class, RE2 pattern, context words) plus at most a validator.

Patterns use RE2 syntax only (no look-around, no back-references) so every scan is linear in the
input. A pattern may name the value with a group `v`; otherwise the whole match is the value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from aigate.inspect.result import DataClass

Validator = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Detector:
    """A declarative detector. `context` words, when given, must appear near the value."""

    id: str
    data_class: DataClass
    pattern: str
    validator: Validator | None = None
    context: tuple[str, ...] = ()
    confidence: float = 0.9
    keep: tuple[int, int] = (2, 2)  # characters the preview keeps at (head, tail)
    window: int = 80  # how far (characters) to look for context words around the value
    boundary: frozenset[str] = frozenset()  # characters that may not touch the value's ends
    description: str = ""


# Values that are someone's example, template or variable reference, never a real secret.
PLACEHOLDER_WORDS = (
    "example",
    "changeme",
    "change_me",
    "placeholder",
    "your_",
    "your-",
    "yourkey",
    "xxxx",
    "****",
    "....",
    "<",
    ">",
    "${",
    "{{",
    "%(",
    "os.environ",
    "getenv",
    "process.env",
    "env[",
    "env.",
    "dummy",
    "redacted",
    "secret_here",
    "insert",
    "replace",
    "todo",
    "fixme",
)


def is_placeholder(value: str) -> bool:
    """True for template values (`<your-key>`, `xxxx`, `${TOKEN}`, `changeme`, `...EXAMPLE`)."""
    low = value.lower()
    if any(word in low for word in PLACEHOLDER_WORDS):
        return True
    return len(set(low)) <= 2  # aaaa..., 0000..., x-x-x


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")


def not_placeholder(value: str) -> bool:
    return not is_placeholder(value)


def random_token(min_entropy: float = 3.0) -> Validator:
    """A validator for opaque tokens: not a placeholder and random-looking enough."""

    def check(value: str) -> bool:
        return not is_placeholder(value) and entropy(value) >= min_entropy

    return check


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def preview(value: str, keep: tuple[int, int]) -> str:
    """Mask letters and digits except `keep` at each end; separators stay so the shape reads."""
    head, tail = keep
    chars = [ch for ch in value if ch.isalnum()]
    if len(chars) <= head + tail + 2:
        head, tail = min(head, 1), 0
    seen = 0
    total = len(chars)
    out: list[str] = []
    for ch in value[:64]:
        if ch.isalnum():
            out.append(ch if seen < head or seen >= total - tail else "*")
            seen += 1
        else:
            out.append(ch)
    if len(value) > 64:
        out.append(f"...({len(value)} chars)")
    return "".join(out)
