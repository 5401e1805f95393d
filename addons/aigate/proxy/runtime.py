"""State the aigate addons share inside one proxy: the policy store, the DLP scanner built from
it, and the acknowledgement signer.

`build_addons()` makes one `Runtime` and hands it to every addon it creates, so addons never call
each other and two proxies in one process never share a policy. The policy reload addon fills it
in `configure`; the others only read it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aigate.inspect import Scanner, build_scanner
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.store import PolicyStore
from aigate.record import metrics
from aigate.respond.cookies import AckSigner

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Active:
    """A policy and the DLP scanner built from it: swapped as one reference, so a reader never
    sees the policy of one load with the scanner of another."""

    policy: LoadedPolicy
    scanner: Scanner


class Runtime:
    """The policy in force with its DLP scanner, and the signer for acknowledgement cookies.

    `install` builds the scanner of a loaded policy (or keeps the one in force when nothing it is
    built from changed) and only then replaces `active` in a single
    assignment; a policy whose scanner cannot be built is refused as a whole. Hooks run on the
    event loop, as does the reload, so a hook that reads `policy` and `scanner` without awaiting
    in between gets one load; a hook that awaits keeps its own `active` reference.

    Addons that derive settings from the policy register in `on_policy`; `install` calls them
    after every successful load.
    """

    def __init__(self) -> None:
        self.store: PolicyStore | None = None
        self.active: Active | None = None
        self.signer: AckSigner | None = None
        self.on_policy: list[Callable[[LoadedPolicy], None]] = []
        # The host the proxy answers itself with the policy document (set by the policy page
        # addon): always intercepted, never dialled.
        self.policy_host: str | None = None

    def install(self, loaded: LoadedPolicy) -> None:
        """Put `loaded` in force with its scanner (raises `ValueError` if the scanner fails).
        An edit that leaves what the scanner is built from alone (most edits: rules, services,
        groups) keeps the scanner in force: building one takes about a second."""
        previous = self.active
        try:
            if previous is not None and _scans_alike(previous.policy, loaded):
                scanner = previous.scanner
            else:
                scanner = scanner_for(loaded)
        except Exception as e:
            raise ValueError(f"dlp: {e}") from e
        self.active = Active(loaded, scanner)
        for listener in self.on_policy:
            try:
                listener(loaded)
            except Exception:  # the policy is in force; a listener must not undo that
                logger.exception("aigate: applying the new policy failed in %r", listener)

    @property
    def policy(self) -> LoadedPolicy:
        """The last good policy; raises until one has loaded (callers fail closed)."""
        active = self.active
        if active is None:
            raise RuntimeError("no aigate policy loaded")
        return active.policy

    @property
    def scanner(self) -> Scanner | None:
        """The DLP scanner of `policy`."""
        active = self.active
        return active.scanner if active is not None else None


def _scans_alike(old: LoadedPolicy, new: LoadedPolicy) -> bool:
    """Whether both policies build the same scanner: the same detectors, regions, keywords and
    patterns, and no exact-match files (their contents and keys live outside the policy)."""
    a, b = old.policy.dlp, new.policy.dlp
    return (
        not a.exact_match
        and not b.exact_match
        and old.policy.countries == new.policy.countries
        and (a.detectors, a.disabled_detectors, a.public_ips_only, a.regions, a.keywords,
             a.patterns)
        == (b.detectors, b.disabled_detectors, b.public_ips_only, b.regions, b.keywords,
            b.patterns)
    )


def scanner_for(loaded: LoadedPolicy) -> Scanner:
    """The DLP scanner of a policy (built once per load); exact-match files resolve beside the
    policy file. Raises when the `dlp` section cannot be built (e.g. a missing key variable)."""
    base = loaded.path.parent if loaded.path is not None else Path(".")
    scanner = build_scanner(loaded.policy.dlp, base, countries=loaded.policy.countries)
    scanner.on_reuse = metrics.count_scan_reused
    return scanner
