"""aigate: enforce a company's AI workplace policy on the wire.

The request flows through modules named for each step:
identify (who) -> classify (which AI service) -> decide (what the policy says)
-> inspect (what data leaves) -> respond/act (block, warn, redact) -> record (audit, metrics).
The core (catalog, classify, policy, decide, inspect) never imports mitmproxy; `aigate.proxy`
holds the thin mitmproxy adapters.
"""

__version__ = "0.1.0"
