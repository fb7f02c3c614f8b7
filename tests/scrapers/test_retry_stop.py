"""A source whose server refuses connections (a wrong `base_url` port) is retried with a
back-off of up to a minute; SIGTERM (Ctrl-C, `--time-limit`) during such a wait ends the
crawl `cancelled` at once instead of after the wait (past the supervisor's grace period,
which kills the child)."""

from __future__ import annotations

import json
import signal
import socket
import time
from pathlib import Path

from tests.scrapers.crawlkit import start_crawl, stored, write_config


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sigterm_during_a_back_off_wait_stops_the_crawl_at_once(db_url: str,
                                                                 tmp_path: Path) -> None:
    config = write_config(tmp_path / "hairlink.toml", db_url,
                          f"http://127.0.0.1:{_closed_port()}/f", "xenforo")
    process = start_crawl(config, "forum", args=("-s", "HAIRLINK_BACKOFF_BASE=40",
                                                 "-s", "HAIRLINK_BACKOFF_MAX=60"))
    try:
        time.sleep(4)  # the first refusal came at once; the first back-off (30-40 s) runs
        assert process.poll() is None
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
        assert time.monotonic() - sent < 10, err[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    line = json.loads(out.strip().splitlines()[-1])
    assert line["status"] == "cancelled", err[-2000:]
    assert stored(db_url).runs[-1].status == "cancelled"
