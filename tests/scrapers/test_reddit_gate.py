"""The Reddit request gate: one request in flight per client id across gates (processes),
the budget spent at send time, a margin after the reset, and no waiting when stopping."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from scrapers.reddit_gate import GateClosed, RequestGate, gate_path


def test_gates_of_one_client_share_one_request_and_one_budget(tmp_path: Path) -> None:
    path = gate_path(tmp_path, "client-1")
    assert path.name.startswith("hairlink-reddit-") and "client-1" not in path.name
    first, second = RequestGate(path, low=0, margin=0.3), RequestGate(path, low=0, margin=0.3)
    events: list[tuple[str, float]] = []
    waited: list[float] = []

    async def scenario() -> None:
        await first.acquire()
        events.append(("first sent", time.monotonic()))

        async def other() -> None:
            # Blocks: the other "process" holds the gate; then waits for the reset.
            waited.append(await second.acquire())
            events.append(("second sent", time.monotonic()))
            second.release({"X-Ratelimit-Remaining": "5", "X-Ratelimit-Reset": "30"})

        task = asyncio.ensure_future(other())
        await asyncio.sleep(0.2)
        assert [name for name, _ in events] == ["first sent"]
        # The server says the window is spent and resets in 1 s.
        first.release({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "1"})
        await task

    asyncio.run(scenario())
    (_, sent), (_, after) = events
    assert after - sent >= 1.0 + 0.3 - 0.05  # the reset plus the margin
    assert waited[0] >= 1.0  # the seconds `acquire` waited for the reset
    assert first.read().remaining is None  # gate not held: nothing read
    third = RequestGate(path, low=0, margin=0.3)

    async def budget() -> float | None:
        await third.acquire()
        remaining = third.read().remaining
        third.release()
        return remaining

    assert asyncio.run(budget()) == 4.0  # 5 left after the last response, 1 spent now


def test_a_stopping_crawl_does_not_wait_for_the_reset(tmp_path: Path) -> None:
    path = gate_path(tmp_path, "client-2")
    gate = RequestGate(path, low=5, margin=0)
    stop = {"now": False}

    async def scenario() -> None:
        await gate.acquire()
        gate.release({"X-Ratelimit-Remaining": "2", "X-Ratelimit-Reset": "600"})

        async def stop_soon() -> None:
            await asyncio.sleep(0.3)
            stop["now"] = True

        stopper = asyncio.ensure_future(stop_soon())
        started = time.monotonic()
        with pytest.raises(GateClosed):
            await gate.acquire(lambda: stop["now"])
        assert time.monotonic() - started < 2
        assert gate.fd is None and gate.busy_since is None  # not held
        await stopper

    asyncio.run(scenario())
