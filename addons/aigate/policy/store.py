"""The current policy and its reloads, without threads: the proxy addon polls `reload_if_changed`.

The store watches every file the policy names (the policy itself, its `catalog` files and its
`dlp.exact_match` digest files): a cheap stat of each on every poll, a hash only when a stat
moved, a full load only when the content changed and has then stayed the same for a settle
period: an editor or `cp` rewriting a file in place passes through half-written states, and a
valid prefix of a policy (no rules yet, `default: allow`) must never be enforced. A failed
reload keeps the last good policy (fail safe): a typo in production must not turn enforcement
off or block everyone. A new policy replaces the current one only once it is fully loaded and its
`accept` callback (the proxy builds the DLP scanner there) has succeeded, so nothing ever sees
half of a reload.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aigate.policy.errors import PolicyError, Problem
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.model import Policy
from aigate.yamlfile import YamlError, parse_yaml

_Stamp = tuple[tuple[str, int, int, int], ...]
Accept = Callable[[LoadedPolicy], None]


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """`changed`: a new policy is now in force; `error`: why the files on disk are not."""

    ok: bool
    changed: bool
    error: str | None = None
    settling: bool = False  # the files changed and are waiting to stay unchanged


def referenced_files(policy: Policy, base: Path) -> list[Path]:
    """The files a policy names, resolved as the loader and the scanner resolve them."""
    names = [*policy.catalog, *(spec.file for spec in policy.dlp.exact_match)]
    return [base / name for name in names]


class PolicyStore:
    """Holds the current `LoadedPolicy`; the first load must succeed (raises `PolicyError`).

    `accept(loaded)` is called with every policy before it takes over; raising refuses it (the
    error is reported as `policy-file:1: message`).
    """

    def __init__(self, path: str | Path, accept: Accept | None = None) -> None:
        self.path = Path(path)
        self.accept = accept
        named = self._named_by_text(self.path)
        loaded = load_policy(self.path)
        if accept is not None:
            _accepted(accept, loaded, self.path)
        self.current: LoadedPolicy = loaded
        self.error: str | None = None
        self._watched = self._watch_list(named, loaded)
        self._stamp = self._stat()
        self._digest = self._hash()
        self._pending: tuple[str, float] | None = None  # (content hash, first seen) of an edit

    @property
    def watched(self) -> tuple[Path, ...]:
        """The files a change to which triggers a reload."""
        return self._watched

    def reload(self) -> ReloadResult:
        """Load the files now; on failure keep the current policy and report why."""
        named = self._named_by_text(self.path)
        stamp_files = self._watch_list(named, self.current)
        self._watched = stamp_files
        stamp, digest = self._stat(), self._hash()
        try:
            loaded = load_policy(self.path)
            if self.accept is not None:
                _accepted(self.accept, loaded, self.path)
        except PolicyError as e:
            self._stamp, self._digest = stamp, digest
            self.error = str(e)
            return ReloadResult(ok=False, changed=False, error=self.error)
        recovered = self.error is not None
        changed = recovered or loaded.sha256 != self.current.sha256 or digest != self._digest
        self.current, self.error = loaded, None  # `accept` may already have put it in force
        self._watched = self._watch_list(named, loaded)
        if self._watched != stamp_files:
            stamp, digest = self._stat(), self._hash()
        self._stamp, self._digest = stamp, digest
        return ReloadResult(ok=True, changed=changed)

    def reload_if_changed(self, settle: float = 0.0, now: float | None = None) -> ReloadResult:
        """Reload when a watched file changed (stat first, then content hash) and its content
        has stayed the same for `settle` seconds since this store first saw it."""
        stamp = self._stat()
        unchanged = ReloadResult(ok=self.error is None, changed=False, error=self.error)
        if stamp == self._stamp and self._pending is None:
            return unchanged
        self._stamp = stamp
        digest = self._hash()
        if digest == self._digest:
            self._pending = None
            return unchanged
        now = time.monotonic() if now is None else now
        if self._pending is None or self._pending[0] != digest:
            self._pending = (digest, now)
        if now - self._pending[1] < settle:
            return ReloadResult(self.error is None, False, self.error, settling=True)
        self._pending = None
        return self.reload()

    def _watch_list(self, named: Iterable[Path], loaded: LoadedPolicy) -> tuple[Path, ...]:
        """The policy file, the files the last good policy names and those the file on disk
        names (even when it does not load: creating a missing catalog file must retry)."""
        files = [self.path, *named, *referenced_files(loaded.policy, self.path.parent)]
        return tuple(dict.fromkeys(files))

    def _named_by_text(self, path: Path) -> list[Path]:
        """Files named by the policy file as it is on disk, read leniently (it may not load)."""
        try:
            data: Any = parse_yaml(path.read_text(encoding="utf-8"), str(path)).data
        except (OSError, UnicodeDecodeError, YamlError):
            return []
        if not isinstance(data, dict):
            return []
        names = list(_strings(data.get("catalog")))
        dlp = data.get("dlp")
        if isinstance(dlp, dict) and isinstance(dlp.get("exact_match"), list):
            names += [spec.get("file") for spec in dlp["exact_match"] if isinstance(spec, dict)]
        return [path.parent / name for name in names if isinstance(name, str) and name]

    def _stat(self) -> _Stamp:
        out = []
        for file in self._watched:
            try:
                st = os.stat(file)
            except OSError:
                out.append((str(file), -1, -1, -1))
            else:
                out.append((str(file), st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(out)

    def _hash(self) -> str:
        digest = hashlib.sha256()
        for file in self._watched:
            digest.update(str(file).encode() + b"\0")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"\0missing\0")
        return digest.hexdigest()


def _accepted(accept: Accept, loaded: LoadedPolicy, path: Path) -> None:
    """Run `accept`; anything it raises becomes a `PolicyError` located at the policy file."""
    try:
        accept(loaded)
    except PolicyError:
        raise
    except Exception as e:
        raise PolicyError([Problem(str(path), 1, "", str(e))]) from e


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
