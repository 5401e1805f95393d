"""The current policy and its reloads, without threads: the proxy addon polls `reload_if_changed`.

A failed reload keeps the last good policy (fail safe): a typo in production must not turn
enforcement off or block everyone.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from aigate.policy.errors import PolicyError
from aigate.policy.load import load_policy
from aigate.policy.loaded import LoadedPolicy

_Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class ReloadResult:
    ok: bool
    changed: bool
    error: str | None = None


class PolicyStore:
    """Holds the current `LoadedPolicy`; the first load must succeed (raises `PolicyError`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.current: LoadedPolicy = load_policy(self.path)
        self.error: str | None = None
        self._stamp = self._stat()
        self._digest = self._hash()

    def reload(self) -> ReloadResult:
        """Load the file now; on failure keep the current policy and report why."""
        stamp, digest = self._stat(), self._hash()
        try:
            loaded = load_policy(self.path)
        except PolicyError as e:
            self._stamp, self._digest = stamp, digest
            self.error = str(e)
            return ReloadResult(ok=False, changed=False, error=self.error)
        changed = loaded.sha256 != self.current.sha256 or digest != self._digest
        files_moved = loaded.policy.catalog != self.current.policy.catalog
        self.current, self.error = loaded, None
        if files_moved:  # watch the catalog files the new policy names
            stamp, digest = self._stat(), self._hash()
        self._stamp, self._digest = stamp, digest
        return ReloadResult(ok=True, changed=changed)

    def reload_if_changed(self) -> ReloadResult:
        """Reload only when the policy or one of its catalog files changed (stat, then hash)."""
        stamp = self._stat()
        if stamp == self._stamp:
            return ReloadResult(ok=self.error is None, changed=False, error=self.error)
        if self._hash() == self._digest:
            self._stamp = stamp
            return ReloadResult(ok=self.error is None, changed=False, error=self.error)
        return self.reload()

    def _files(self) -> list[Path]:
        base = self.path.parent
        return [self.path, *(base / name for name in self.current.policy.catalog)]

    def _stat(self) -> _Stamp:
        out = []
        for file in self._files():
            try:
                st = os.stat(file)
            except OSError:
                out.append((str(file), -1, -1))
            else:
                out.append((str(file), st.st_mtime_ns, st.st_size))
        return tuple(out)

    def _hash(self) -> str:
        digest = hashlib.sha256()
        for file in self._files():
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"\0missing\0")
        return digest.hexdigest()
