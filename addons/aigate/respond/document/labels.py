"""The words a policy document uses for actions, DLP verdicts, data classes and categories."""

from __future__ import annotations

ACTION_LABEL = {
    "allow": "Allowed",
    "warn": "Allowed with care",
    "redirect": "Redirected",
    "block": "Blocked",
}
DLP_LABEL = {
    "block": "Blocked: the request is stopped",
    "redact": "Removed: the data is replaced by [REDACTED] and the request goes ahead",
    "warn": "Warned: you are told before it goes ahead",
    "log": "Allowed and recorded",
}
DATA_CLASS = {
    "pii": (
        "Personal data",
        "Information about a person: email addresses, phone numbers, national ID, tax and "
        "passport numbers, driving licences, dates of birth, network addresses of devices.",
    ),
    "financial": (
        "Financial data",
        "Payment card numbers, bank account and routing numbers (IBAN, SWIFT/BIC, ABA) and "
        "cryptocurrency wallet addresses.",
    ),
    "secret": (
        "Credentials",
        "API keys, access tokens, passwords, connection strings and private keys.",
    ),
    "confidential": (
        "Confidential material",
        "Documents marked confidential or internal, and the company's own confidential terms.",
    ),
    "custom": ("Company-specific data", "Values the company's own patterns recognise."),
}
CATEGORY = {
    "chat": "chat assistants",
    "api": "model APIs",
    "coding": "coding assistants",
    "image": "image generators",
    "video": "video generators",
    "audio": "voice and audio tools",
    "search": "AI search engines",
    "writing": "writing assistants",
    "meeting": "meeting assistants",
    "agent": "AI agents",
    "model-hub": "model hubs",
    "productivity": "productivity tools",
}
