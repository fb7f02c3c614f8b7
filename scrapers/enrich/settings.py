"""Enrichment settings: service base URLs, API key, batch size, spacing and retry limits;
read from options, the environment and the `[enrich]` config table."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from scrapers.credentials import S2_API_KEY_ENV, read_credential

S2_DEFAULT_BASE = "https://api.semanticscholar.org"
EPMC_DEFAULT_BASE = "https://www.ebi.ac.uk"
CROSSREF_DEFAULT_BASE = "https://api.crossref.org"
S2_BATCH_LIMIT = 500  # ids per Semantic Scholar batch request, at most


@dataclass
class EnrichSettings:
    """Where the services are and how politely to ask them."""

    s2_base: str = S2_DEFAULT_BASE
    epmc_base: str = EPMC_DEFAULT_BASE
    s2_api_key: str | None = None
    batch_size: int = S2_BATCH_LIMIT
    max_retries: int = 3
    max_wait: float = 60.0
    s2_interval: float = 1.0
    epmc_interval: float = 0.2
    timeout: float = 30.0
    user_agent: str = "hairlink (study enrichment)"
    use_epmc: bool = True
    crossref_base: str = CROSSREF_DEFAULT_BASE
    crossref_interval: float = 0.2
    use_crossref: bool = True
    contact: str | None = None
    use_references: bool = True

    @classmethod
    def from_env(cls, s2_base: str | None = None, epmc_base: str | None = None,
                 contact: str | None = None, crossref_base: str | None = None,
                 section: dict[str, Any] | None = None, **overrides: Any) -> EnrichSettings:
        """Settings from options, else HAIRLINK_S2_BASE_URL / HAIRLINK_EPMC_BASE_URL /
        HAIRLINK_CROSSREF_BASE_URL / HAIRLINK_S2_API_KEY, else a config table `section`
        (`s2_url`, `epmc_url`, `crossref_url`, `delay`, `epmc`, `crossref`, `batch_size`,
        `references`),
        else the public services. ValueError for a section value of the wrong type, for a
        base URL that is not http(s) (naming the option, variable or key it came from), or
        for a malformed API key (`scrapers.credentials.CredentialError`)."""
        table = _checked_section(section or {})
        agent = "hairlink (study enrichment" + (f"; {contact})" if contact else ")")
        for key, name in (("delay", "s2_interval"), ("epmc", "use_epmc"),
                          ("crossref", "use_crossref"), ("batch_size", "batch_size"),
                          ("references", "use_references")):
            if key in table:
                overrides.setdefault(name, table[key])
        settings = cls(
            s2_base=_base_url(s2_base, "--s2-url", "HAIRLINK_S2_BASE_URL", table, "s2_url",
                              S2_DEFAULT_BASE),
            epmc_base=_base_url(epmc_base, "--epmc-url", "HAIRLINK_EPMC_BASE_URL", table,
                                "epmc_url", EPMC_DEFAULT_BASE),
            s2_api_key=read_credential(S2_API_KEY_ENV),
            crossref_base=_base_url(crossref_base, "--crossref-url",
                                    "HAIRLINK_CROSSREF_BASE_URL", table, "crossref_url",
                                    CROSSREF_DEFAULT_BASE),
            user_agent=agent,
            contact=contact,
            **overrides,
        )
        settings.batch_size = max(1, min(settings.batch_size, S2_BATCH_LIMIT))
        return settings


def _base_url(option: str | None, option_name: str, env_name: str, table: dict[str, Any],
              key: str, default: str) -> str:
    """The first of option, environment variable and config key that is set (without a
    trailing slash), else `default`; ValueError naming where a non-http(s) URL came from."""
    for value, origin in ((option, option_name), (os.environ.get(env_name), env_name),
                          (table.get(key), f"[enrich] {key}")):
        if value:
            if not value.startswith(("http://", "https://")):
                raise ValueError(f"{origin} is not an http(s) URL: {value!r}")
            return value.rstrip("/")
    return default


_SECTION_TYPES: dict[str, type | tuple[type, ...]] = {
    "s2_url": str, "epmc_url": str, "crossref_url": str, "delay": (int, float),
    "epmc": bool, "crossref": bool, "batch_size": int, "references": bool}


def _checked_section(table: dict[str, Any]) -> dict[str, Any]:
    for key, value in table.items():
        expected = _SECTION_TYPES.get(key)
        if expected is None:
            raise ValueError(f"[enrich] unknown key {key!r} (known: "
                             f"{', '.join(sorted(_SECTION_TYPES))})")
        if not isinstance(value, expected) or (isinstance(value, bool)
                                               and expected is not bool):
            raise ValueError(f"[enrich] key {key!r}: wrong type {type(value).__name__}")
    return table
