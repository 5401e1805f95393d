"""Records of what aigate decided: the audit log, the acknowledgement ledger and the metrics.

Pure code (no mitmproxy): the addons in `aigate.proxy.audit` and `aigate.proxy.metrics` adapt it.
"""
