"""The built-in detectors, discovered: each module in this package exports `DETECTORS`, so adding
a detector is adding a data entry (and its test table), never editing a list here."""

from __future__ import annotations

import importlib
import pkgutil

from aigate.inspect.detectors.base import Detector


def builtin() -> tuple[Detector, ...]:
    """Every built-in detector, in module order; ids are unique."""
    found: list[Detector] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "DETECTORS", ()))
    ids = [d.id for d in found]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate detector ids: {sorted(duplicates)}")
    return tuple(found)
