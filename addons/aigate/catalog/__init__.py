"""The catalog of AI services: what each service is, where it lives, and the facts risk rules need.

The shipped catalog is YAML under `data/` (one file per group of services); admins add or
override entries with their own file named in the policy. Entries are validated on load and
errors name the file, line and fix.
"""

from aigate.catalog.load import default_catalog, load_catalog
from aigate.catalog.model import CATEGORIES, RISKS, Catalog, CatalogError, Service

__all__ = [
    "CATEGORIES",
    "RISKS",
    "Catalog",
    "CatalogError",
    "Service",
    "default_catalog",
    "load_catalog",
]
