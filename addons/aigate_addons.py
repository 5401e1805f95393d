"""Entry for `mitmdump -s addons/aigate_addons.py --set aigate_policy=...` (and mitmweb).

mitmproxy re-executes this file when it changes, so it holds no state: it only builds the list.
"""

from aigate.proxy import build_addons

addons = build_addons()
