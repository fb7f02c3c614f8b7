"""The generated forum threads crawl tests serve: one thread model, rendered per engine by
the `site_*` modules onto a LoopbackServer in each engine's real format (`sites.serve`;
see docs/crawling.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

NOW = datetime.now(UTC).replace(second=0, microsecond=0)  # forums print minutes


@dataclass
class FakePost:
    post_id: int
    author: str
    text: str
    created_at: datetime
    likes: int = 0


@dataclass
class FakeThread:
    thread_id: int
    title: str
    category: str
    category_id: int
    created_at: datetime
    posts: list[FakePost] = field(default_factory=list)

    @property
    def likes(self) -> int:
        return self.posts[0].likes

    @property
    def last_activity(self) -> datetime:
        return max(p.created_at for p in self.posts)

    @property
    def slug(self) -> str:
        return "-".join(self.title.lower().split())[:40] or "thread"


def make_threads(count: int, posts_per_thread: int = 3, age_step: timedelta = timedelta(hours=5),
                 first_id: int = 100, categories: tuple[tuple[int, str], ...] = (
                     (4, "Finasteride"), (7, "Minoxidil"))) -> list[FakeThread]:
    """`count` threads, newest first, each with `posts_per_thread` posts (opening post first)."""
    threads = []
    post_id = 1000
    for n in range(count):
        created = NOW - age_step * (n + 1)
        cat_id, cat = categories[n % len(categories)]
        thread = FakeThread(first_id + n, f"Thread {n} about minoxidil and fin", cat, cat_id,
                            created)
        for k in range(posts_per_thread):
            post_id += 1
            thread.posts.append(FakePost(
                post_id, f"user{(n + k) % 7}",
                f"Post {k} of thread {n}. See https://pubmed.ncbi.nlm.nih.gov/{30000 + n}/",
                created + timedelta(minutes=10 * k), likes=(n * 3 + k) % 11))
        threads.append(thread)
    return threads
