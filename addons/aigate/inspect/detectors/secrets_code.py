"""Source-hosting and package-registry tokens: GitHub (with its CRC32 checksum), GitLab, npm,
PyPI, Docker Hub, and registry credentials in Docker config files."""

from __future__ import annotations

import string
import zlib

from aigate.inspect.detectors.base import TOKEN_CHARS, Detector, random_token

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def crc_checksum(random_part: str) -> str:
    """The 6-character base62 (0-9A-Za-z) CRC32 that GitHub and npm append to the 30-character
    random part of a token."""
    n = zlib.crc32(random_part.encode())
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = _BASE62[r] + out
    return out.rjust(6, "0")


def _github_crc(value: str) -> bool:
    body = value.split("_", 1)[1]
    return crc_checksum(body[:-6]) == body[-6:]


DETECTORS = (
    Detector(
        "github_pat",
        "secret",
        "ghp_[A-Za-z0-9]{36}",
        checksum=_github_crc,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="GitHub classic personal access token (CRC32 checksum).",
        source="https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
    ),
    Detector(
        "github_oauth",
        "secret",
        "gho_[A-Za-z0-9]{36}",
        checksum=_github_crc,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="GitHub OAuth access token (CRC32 checksum).",
        source="https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
    ),
    Detector(
        "github_app",
        "secret",
        "gh[us]_[A-Za-z0-9]{36}",
        checksum=_github_crc,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="GitHub App user-to-server or installation token (CRC32 checksum).",
        source="https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
    ),
    Detector(
        "github_refresh",
        "secret",
        "ghr_[A-Za-z0-9]{36}",
        checksum=_github_crc,
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="GitHub refresh token (CRC32 checksum).",
        source="https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
    ),
    Detector(
        "github_fine_grained",
        "secret",
        "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        random_token(3.5),
        confidence="validated",
        keep=(11, 0),
        boundary=TOKEN_CHARS,
        description="GitHub fine-grained personal access token.",
        source="https://github.blog/security/application-security/introducing-fine-grained-personal-access-tokens-for-github/",
    ),
    Detector(
        "gitlab_pat",
        "secret",
        "glpat-[A-Za-z0-9_-]{20,64}",
        random_token(3.0),
        confidence="validated",
        keep=(6, 0),
        boundary=TOKEN_CHARS,
        description="GitLab personal, project or group access token.",
        source="https://docs.gitlab.com/security/tokens/#token-prefixes",
    ),
    Detector(
        "gitlab_token",
        "secret",
        "gl(?:ptt|dt|rtr|rt|cbt|imt|oas|ft|soat|ffct|wt|agent)-[A-Za-z0-9_-]{20,300}",
        random_token(3.0),
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="GitLab trigger, deploy, runner, feed, agent, SCIM and other tokens.",
        source="https://docs.gitlab.com/security/tokens/#token-prefixes",
    ),
    Detector(
        "npm_token",
        "secret",
        "npm_[A-Za-z0-9]{36}",
        random_token(3.0),
        confidence="validated",
        keep=(4, 0),
        boundary=TOKEN_CHARS,
        description="npm access token (same CRC32 checksum as GitHub's; low when it fails).",
        checksum=_github_crc,
        source="https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/",
    ),
    Detector(
        "pypi_token",
        "secret",
        "pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}",
        confidence="validated",
        keep=(5, 0),
        boundary=TOKEN_CHARS,
        description="PyPI API token (macaroon for pypi.org or test.pypi.org).",
        source="https://warehouse.pypa.io/development/token-scanning.html",
    ),
    Detector(
        "docker_hub_pat",
        "secret",
        "dckr_pat_[A-Za-z0-9_-]{27}|dckr_oat_[A-Za-z0-9_-]{32}",
        random_token(3.0),
        confidence="validated",
        keep=(9, 0),
        boundary=TOKEN_CHARS,
        description="Docker Hub personal or organization access token.",
        source="https://docs.docker.com/security/for-developers/access-tokens/",
    ),
    Detector(
        "docker_config_auth",
        "secret",
        r'"auth"\s*:\s*"(?P<v>[A-Za-z0-9+/]{12,}={0,2})"',
        random_token(3.0),
        context=("auths", "docker", "ghcr.io", "registry"),
        context_required=True,
        window=200,
        confidence="pattern",
        keep=(0, 0),
        description="Registry credentials in a Docker config.json (ghcr.io, Docker Hub, ...).",
        source="https://docs.docker.com/reference/cli/docker/login/#credential-stores",
    ),
)
