"""The author pipeline remembers hashes by name (helper crawl6): each hash is what
`hash_author` gives for the pipeline's salt, whatever the order, the salt changes and the
memo's clearing."""

from __future__ import annotations

import random

from scrapers.items import ReplyItem, ThreadItem
from scrapers.pipelines.authors import AuthorHashPipeline, hash_author

_NAMES = [None, "", " ", "alice", " alice ", "alice\n", "Bob", "[deleted]", " [removed] ",
          "émile", "\u00a0x\u00a0", "a b"]


def test_remembered_hashes_are_hash_author() -> None:
    rng = random.Random(11)
    pipeline = AuthorHashPipeline(salt="s1")
    pipeline.MEMO_SIZE = 7  # clears often
    hits = 0
    for step in range(20000):
        if step % 3000 == 2999:
            pipeline.salt = rng.choice(["s1", "s2", "another salt"])
        name = rng.choice([*_NAMES, f"user{rng.randint(0, 20)}"])
        hits += name in pipeline._memo if name else 0
        assert pipeline.hash(name) == hash_author(pipeline.salt, name), (name, pipeline.salt)
    assert hits > 1000  # the memo answered
    assert len(pipeline._memo) <= 7


def test_items_get_the_plain_hashes() -> None:
    pipeline = AuthorHashPipeline(salt="pepper")
    item = ThreadItem(source="s", external_id="1", url="https://x/", title="t",
                      created_at=None, author=" alice ",
                      replies=[ReplyItem(external_id=str(i), author=name)
                               for i, name in enumerate(_NAMES * 2)])
    pipeline.process_item(item)
    assert item.author == hash_author("pepper", " alice ") is not None
    assert [r.author for r in item.replies] == [hash_author("pepper", n) for n in _NAMES * 2]
    reply = pipeline.hash_reply(ReplyItem(external_id="x", author="Bob"))
    assert reply.author == hash_author("pepper", "Bob")
