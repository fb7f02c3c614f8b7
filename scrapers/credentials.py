"""Credentials from the environment, read one way for every service.

A value is taken without surrounding whitespace (a key pasted from a file keeps its line
end), an empty one is absent, and one with spaces, control or non-ASCII characters inside
is refused (CredentialError naming the variable, never the value): no URL query or HTTP
header should carry it, and a key cut in two is a key that will be refused anyway.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

NCBI_API_KEY_ENV = "HAIRLINK_NCBI_API_KEY"
S2_API_KEY_ENV = "HAIRLINK_S2_API_KEY"
REDDIT_CLIENT_ID_ENV = "HAIRLINK_REDDIT_CLIENT_ID"
REDDIT_CLIENT_SECRET_ENV = "HAIRLINK_REDDIT_CLIENT_SECRET"

# The credentials a crawl of each source kind reads (none: the kind needs none).
KIND_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "pubmed": (NCBI_API_KEY_ENV,),
    "reddit": (REDDIT_CLIENT_ID_ENV, REDDIT_CLIENT_SECRET_ENV),
}


class CredentialError(ValueError):
    """A credential that cannot be sent; the message names the variable, not the value."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name} holds spaces, control or non-ASCII characters: check the key")


def read_credential(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """The value of `name` in `env` (default: the environment) without surrounding
    whitespace; None when unset or blank; CredentialError for one with anything but
    printable ASCII (no space) inside."""
    env = os.environ if env is None else env
    value = (env.get(name) or "").strip()
    if any(not 0x21 <= ord(ch) <= 0x7E for ch in value):
        raise CredentialError(name)
    return value or None


def check_credentials(kinds: Iterable[str], env: Mapping[str, str] | None = None) -> None:
    """CredentialError for the first malformed credential a crawl of `kinds` would read
    (absent ones are each spider's to report)."""
    for kind in dict.fromkeys(kinds):
        for name in KIND_CREDENTIALS.get(kind, ()):
            read_credential(name, env)
