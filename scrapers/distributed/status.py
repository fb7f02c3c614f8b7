"""What the shared Redis frontier holds: queue lengths per source and live workers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from scrapers.distributed.frontier import Keys, connect, key_prefix


def queue_status(redis_url: str, sources: Iterable[str], *, prefix: str | None = None
                 ) -> dict[str, Any]:
    """Queue lengths per source and the live workers' heartbeats, for `schedule status`.

    {"sources": {name: {"queued": n, "taken": n, "fingerprints": n, "full": bool,
                        "last_seed": {"at": iso, "requests": n, "full": bool} | None}},
     "workers": [{"id", "host", "pid", "sources", "started_at", "seen_at", "pages",
                  "items", "concurrency", "expires_in"}]}
    """
    client = connect(redis_url)
    keys = Keys(key_prefix(prefix))
    try:
        out: dict[str, Any] = {"sources": {}, "workers": []}
        for name in sources:
            taken = sum(int(client.hlen(key))
                        for key in client.scan_iter(match=keys.taken_pattern(name)))
            seeded = {k.decode(): v.decode()
                      for k, v in client.hgetall(keys.seeded(name)).items()}
            out["sources"][name] = {
                "queued": int(client.zcard(keys.requests(name))),
                "taken": taken,
                "fingerprints": int(client.scard(keys.dupefilter(name))),
                "full": bool(client.exists(keys.full(name))),
                "last_seed": {"at": seeded["at"], "requests": int(seeded["requests"]),
                              "full": seeded.get("full") == "1"} if seeded else None,
            }
        for key in sorted(client.scan_iter(match=keys.workers_pattern())):
            raw = client.get(key)
            if raw is None:
                continue
            try:
                beat = json.loads(raw)
            except ValueError:
                continue
            ttl = client.pttl(key)
            beat["expires_in"] = round(ttl / 1000, 1) if ttl and ttl > 0 else None
            out["workers"].append(beat)
        return out
    finally:
        client.close()
