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
# The pseudo-service for model APIs outside the catalog (`aigate.endpoints`), in plain words.
UNLISTED_NAME = "AI model APIs on other servers, not reviewed"
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
    "unlisted": "AI model APIs on other servers",
}
# Country names for the ISO 3166 codes the shipped catalog and policies use (a code outside this
# table is shown as the code). ZZ is the catalog's "not known yet".
COUNTRY = {
    "AE": "the United Arab Emirates", "AT": "Austria", "AU": "Australia", "BE": "Belgium",
    "BR": "Brazil", "CA": "Canada", "CH": "Switzerland", "CN": "China", "CY": "Cyprus",
    "CZ": "Czechia", "DE": "Germany", "DK": "Denmark", "ES": "Spain", "FR": "France",
    "GB": "the United Kingdom", "HK": "Hong Kong", "HR": "Croatia", "HU": "Hungary",
    "ID": "Indonesia", "IE": "Ireland", "IL": "Israel", "IN": "India", "IR": "Iran",
    "IT": "Italy", "JP": "Japan", "KP": "North Korea", "KR": "South Korea", "LU": "Luxembourg",
    "LV": "Latvia", "MT": "Malta", "MY": "Malaysia", "NG": "Nigeria", "NL": "the Netherlands",
    "NO": "Norway", "NZ": "New Zealand", "PK": "Pakistan", "PL": "Poland", "PT": "Portugal",
    "RO": "Romania", "RU": "Russia", "SA": "Saudi Arabia", "SE": "Sweden", "SG": "Singapore",
    "TH": "Thailand", "TR": "Türkiye", "UA": "Ukraine", "US": "the United States",
    "VN": "Vietnam", "ZA": "South Africa", "ZZ": "a country not known yet",
}
