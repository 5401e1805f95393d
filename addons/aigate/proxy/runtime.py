"""State the aigate addons share inside one proxy: the policy store, the DLP scanner built from
it, and the acknowledgement signer.

`build_addons()` makes one `Runtime` and hands it to every addon it creates, so addons never call
each other and two proxies in one process never share a policy. The policy reload addon fills it
in `configure`; the others only read it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aigate.inspect import Scanner, build_scanner
from aigate.policy.loaded import LoadedPolicy
from aigate.policy.store import PolicyStore
from aigate.respond.cookies import AckSigner


class Runtime:
    """The policy in force, its DLP scanner and the signer for acknowledgement cookies.

    The policy reload addon sets `store` and `scanner` together (a policy whose scanner cannot
    be built is refused as a whole), so `scanner` always belongs to `policy`.

    Addons that derive settings from the policy register in `on_policy`; the policy reload
    addon calls them after every successful load.
    """

    def __init__(self) -> None:
        self.store: PolicyStore | None = None
        self.scanner: Scanner | None = None
        self.signer: AckSigner | None = None
        self.on_policy: list[Callable[[LoadedPolicy], None]] = []

    def policy_loaded(self) -> None:
        """Tell the `on_policy` listeners about the policy now in force."""
        for listener in self.on_policy:
            listener(self.policy)

    @property
    def policy(self) -> LoadedPolicy:
        """The last good policy; raises until one has loaded (callers fail closed)."""
        store = self.store
        if store is None:
            raise RuntimeError("no aigate policy loaded")
        return store.current


def scanner_for(loaded: LoadedPolicy) -> Scanner:
    """The DLP scanner of a policy (built once per load); exact-match files resolve beside the
    policy file. Raises when the `dlp` section cannot be built (e.g. a missing key variable)."""
    base = loaded.path.parent if loaded.path is not None else Path(".")
    return build_scanner(loaded.policy.dlp, base)
