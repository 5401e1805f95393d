"""What was worked out for a text met recently, kept for when it comes again.

Chat and agent clients resend the whole conversation with every request, each message a segment
of its own, so most of a request's text was inspected a turn or a minute before. What is kept
is keyed by SHA-256 under a random key of the process: no text is held, and nobody who cannot
read this process's memory can make two texts share an entry. Values must be functions of the
text alone, and hold no part of it (findings, run positions).
"""

from __future__ import annotations

import hashlib
import secrets
import threading

MIN_CHARS = 256  # a shorter text is worked out again: it costs a few microseconds, its hash one


class Recent[V]:
    """A least-recently-used map from texts (by keyed hash) to what was worked out for them,
    bounded in entries and in total weight (what the values hold: findings, runs); safe to
    share across threads."""

    def __init__(self, entries: int, weight: int, min_chars: int = MIN_CHARS) -> None:
        self.entries = entries
        self.weight = weight
        self.min_chars = min_chars
        self._held = 0  # total weight of the values in `_values`
        self._values: dict[bytes, tuple[V, int]] = {}  # insertion order: least recent first
        self._hash = hashlib.sha256(secrets.token_bytes(32))
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def keeps(self, text: str) -> bool:
        """Whether `text` is worth a lookup: long enough, and this map keeps anything."""
        return self.entries > 0 and len(text) >= self.min_chars

    def key(self, text: str) -> bytes:
        """SHA-256 of this map's random key, then the text."""
        hashed = self._hash.copy()  # the state after the key: copied, not rebuilt per text
        hashed.update(text.encode("utf-8", "surrogatepass"))
        return hashed.digest()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._held = 0

    def get(self, key: bytes) -> V | None:
        values = self._values
        with self._lock:
            held = values.pop(key, None)
            if held is None:
                return None
            values[key] = held  # now the most recent
        return held[0]

    def put(self, key: bytes, value: V, weight: int) -> None:
        """Keep `value` for `key`, forgetting the least recent entries past either bound; a
        value heavier than all that may be held is not kept."""
        if weight > self.weight:
            return
        values = self._values
        with self._lock:
            if key in values:  # another thread worked it out meanwhile
                return
            values[key] = (value, weight)
            self._held += weight
            while len(values) > self.entries or self._held > self.weight:
                self._held -= values.pop(next(iter(values)))[1]
