"""`hairlink demo`: the whole pipeline, offline, on the bundled sample communities.

Starts the sample server (`scrapers.samples.server`) on loopback, writes a config into the
output directory that points every source at it, then runs the real stages in order: schema
(init), crawl (the `hairlink crawl` subprocesses), study enrichment (Semantic Scholar batch
+ Europe PMC, reference lists), aggregate (tag + link + similar research), and digest export
(HTML site + Markdown, with the research sections). Running it
again on the same directory re-crawls incrementally and duplicates nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from hairlink.errors import USAGE, UserError
from models.config import Config, load_config
from models.db import make_engine, session_factory
from models.entities import (
    CrawlRun,
    Reply,
    SimilarStudy,
    Source,
    Study,
    StudyReference,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
)
from models.migrate import upgrade
from models.post_queries import query_posts
from models.post_types import PostQuery
from models.treatment_names import display_names, treatment_name
from models.treatment_stats import treatment_stats
from scrapers.samples import layout
from scrapers.samples.server import SampleServer
from scrapers.samples.studies import PUBMED_TERM

DEFAULT_OUT = "hairlink-demo"
CONFIG_NAME = "hairlink.toml"
DATABASE_NAME = "hairlink.db"
SOURCE_NAMES = {"reddit": "sample-reddit", "discourse": "sample-discourse",
                "xenforo": "sample-xenforo", "phpbb": "sample-phpbb",
                "vbulletin": "sample-vbulletin", "pubmed": "sample-pubmed"}
# Loopback needs no politeness delay; these go into the generated config as source options.
LOOPBACK_TUNING = {"delay": 0, "concurrency": 8, "timeout": 20}
# Dummy OAuth credentials for the sample Reddit API (only ever sent to 127.0.0.1).
DEMO_REDDIT_ENV = {"HAIRLINK_REDDIT_CLIENT_ID": "hairlink-demo",
                   "HAIRLINK_REDDIT_CLIENT_SECRET": "hairlink-demo-secret"}
# Variables that would point the demo somewhere else than its own directory and server, and
# real API keys, which the demo has no reason to send anywhere: unset while it runs.
_ISOLATED_ENV = ("HAIRLINK_DATABASE_URL", "HAIRLINK_CONFIG", "HAIRLINK_REDIS_URL",
                 "HAIRLINK_S2_API_KEY", "HAIRLINK_NCBI_API_KEY", "HAIRLINK_S2_BASE_URL",
                 "HAIRLINK_EPMC_BASE_URL")


CONFIG_MARK = "# Written by `hairlink demo`"


class DemoError(Exception):
    """A demo stage failed; the message says which and why."""


def _demo_database(path: Path) -> bool:
    """Is `path` a SQLite database holding only the demo's sample sources (its config
    deleted, as that file allows)?"""
    import sqlite3

    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            names = {row[0] for row in connection.execute("SELECT name FROM source")}
    except sqlite3.Error:
        return False
    return names <= set(SOURCE_NAMES.values())


def check_out_dir(out: Path) -> None:
    """UserError (exit 2) when `out` holds a hairlink.toml or hairlink.db the demo did not
    write: the demo overwrites its config and crawls into its database, and must not take
    a real project's."""
    config, database = out / CONFIG_NAME, out / DATABASE_NAME
    ours = False
    if config.exists():
        try:
            with config.open(encoding="utf-8", errors="replace") as handle:
                ours = handle.readline().startswith(CONFIG_MARK)
        except OSError:
            ours = False
        if not ours:
            raise UserError(f"--out {out}: holds a {CONFIG_NAME} that `hairlink demo` did "
                            "not write; choose an empty folder", USAGE)
    if database.exists() and not ours and not _demo_database(database):
        raise UserError(f"--out {out}: holds a {DATABASE_NAME} that `hairlink demo` did not "
                        "make; choose an empty folder", USAGE)


@dataclass
class StageResult:
    """One stage: its name, how long it took, and a one-line outcome."""

    name: str
    seconds: float
    detail: str


@dataclass
class DemoResult:
    """What a demo run did and where its output is."""

    out_dir: Path
    config_path: Path
    database_url: str
    index_html: Path | None = None
    stages: list[StageResult] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def config_text(out_dir: Path, urls: dict[str, str]) -> str:
    """The demo's TOML config: a SQLite database in `out_dir`, every source on loopback."""
    db = (out_dir / DATABASE_NAME).resolve().as_posix()
    tuning = "".join(f"{key} = {value}\n" for key, value in LOOPBACK_TUNING.items())
    # PubMed asks one request at a time (NCBI's rule): no `concurrency` for it.
    search_tuning = "".join(f"{key} = {value}\n" for key, value in LOOPBACK_TUNING.items()
                            if key != "concurrency")
    xf_forums = ", ".join(f'"{slug}.{node}"' for slug, node in layout.XENFORO_FORUMS.values())
    phpbb_forums = ", ".join(str(fid) for fid in layout.PHPBB_FORUMS.values())
    vb_forums = ", ".join(str(fid) for fid in layout.VBULLETIN_FORUMS.values())
    return (
        f"{CONFIG_MARK}: every source points at the bundled sample server on\n"
        "# loopback (its port changes per run). Safe to delete.\n"
        'contact = "hairlink-demo@example.invalid"\n\n'
        f'[database]\nurl = "sqlite:///{db}"\n\n'
        f'[[sources]]\nname = "{SOURCE_NAMES["reddit"]}"\nkind = "reddit"\n'
        f'base_url = "{urls["reddit"]}"\nauth_url = "{urls["reddit_token"]}"\n'
        f'subreddits = ["{layout.SUBREDDIT}"]\n{tuning}\n'
        f'[[sources]]\nname = "{SOURCE_NAMES["discourse"]}"\nkind = "discourse"\n'
        f'base_url = "{urls["discourse"]}"\n{tuning}\n'
        f'[[sources]]\nname = "{SOURCE_NAMES["xenforo"]}"\nkind = "xenforo"\n'
        f'base_url = "{urls["xenforo"]}"\nforums = [{xf_forums}]\n{tuning}\n'
        f'[[sources]]\nname = "{SOURCE_NAMES["phpbb"]}"\nkind = "phpbb"\n'
        f'base_url = "{urls["phpbb"]}"\nforums = [{phpbb_forums}]\ntimezone = "UTC"\n'
        f"{tuning}\n"
        f'[[sources]]\nname = "{SOURCE_NAMES["vbulletin"]}"\nkind = "vbulletin"\n'
        f'base_url = "{urls["vbulletin"]}"\nforums = [{vb_forums}]\n{tuning}\n'
        f'[[sources]]\nname = "{SOURCE_NAMES["pubmed"]}"\nkind = "pubmed"\n'
        f'base_url = "{urls["pubmed"]}"\nterm = "{PUBMED_TERM}"\n{search_tuning}')


@contextmanager
def demo_environment() -> Iterator[None]:
    """Dummy Reddit credentials set, database/config/redis overrides unset, restored after."""
    saved = {key: os.environ.get(key) for key in (*DEMO_REDDIT_ENV, *_ISOLATED_ENV)}
    try:
        for key in _ISOLATED_ENV:
            os.environ.pop(key, None)
        os.environ.update(DEMO_REDDIT_ENV)
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_demo(out_dir: str | os.PathLike[str] = DEFAULT_OUT,
             progress: Callable[[str], None] | None = None) -> DemoResult:
    """Run every stage into `out_dir`; DemoError names the stage that failed."""
    say = progress or (lambda _line: None)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    check_out_dir(out)
    with demo_environment(), SampleServer() as server:
        config_path = out / CONFIG_NAME
        config_path.write_text(config_text(out, server.base_urls), encoding="utf-8")
        config = load_config(config_path)
        engine = make_engine(config.database_url)
        result = DemoResult(out, config_path, config.database_url)
        try:
            stages: list[tuple[str, Callable[[], str]]] = [
                ("init", lambda: stage_init(engine)),
                ("crawl", lambda: stage_crawl(config, out / "crawl.log")),
                ("enrich", lambda: stage_enrich(engine, server.base_urls)),
                ("aggregate", lambda: stage_aggregate(engine, config)),
                ("export", lambda: stage_export(engine, out, result)),
            ]
            for name, stage in stages:
                say(f"{name} ...")
                started = time.monotonic()
                detail = stage()
                result.stages.append(StageResult(name, time.monotonic() - started, detail))
                say(f"{name}: {detail} ({time.monotonic() - started:.1f}s)")
            result.summary = summarise(engine)
        finally:
            engine.dispose()
    return result


# -- stages --------------------------------------------------------------------------------

def stage_init(engine: Engine) -> str:
    """Create or upgrade the schema."""
    upgrade(engine)
    return "schema at head"


def stage_crawl(config: Config, log_path: Path) -> str:
    """Crawl every source with the crawl subprocess `hairlink crawl` and the scheduler use
    (`python -m scrapers.run`: spiders, pipelines, store, one crawl-run row per source).

    All sources run in one such process: on SQLite, several crawl processes writing at
    once can hit "database is locked", and one process saves the start-up time of five.
    """
    from scheduler.crawls import run_command

    names = [source.name for source in config.sources]
    argv = run_command(names, config_path=config.path,
                       options=["--log-file", str(log_path), "--log-level", "INFO"])
    done = subprocess.run(argv, capture_output=True, text=True,
                          env=os.environ.copy(), check=False)
    runs = []
    for line in done.stdout.splitlines():
        try:
            runs.append(json.loads(line))
        except ValueError:
            continue
    bad = [f"{run['source']}: {run['status']} ({run.get('message') or 'no message'})"
           for run in runs if run.get("status") != "finished"]
    if done.returncode != 0 or bad or len(runs) != len(names):
        detail = "; ".join(bad) or done.stderr.strip()[-500:] or f"exit {done.returncode}"
        raise DemoError(f"crawl failed: {detail} (log: {log_path})")
    return ", ".join(f"{run['source']} {run['items']} items" for run in runs)


def stage_enrich(engine: Engine, urls: dict[str, str]) -> str:
    """TLDRs and citation counts from the sample Semantic Scholar and Europe PMC."""
    from scrapers.enrich.run import enrich
    from scrapers.enrich.settings import EnrichSettings

    settings = EnrichSettings(s2_base=urls["semanticscholar"], epmc_base=urls["europepmc"],
                              s2_interval=0.0, epmc_interval=0.0, max_wait=2.0,
                              user_agent="hairlink demo")
    with Session(engine) as session:
        report = enrich(session, settings)
        session.commit()
    refs = report.references
    if report.failed or refs.failed:
        raise DemoError(f"enrichment failed for {report.failed + refs.failed} studies: "
                        + "; ".join(report.messages[:3]))
    return (f"{report.asked} studies asked, {report.from_s2} from Semantic Scholar, "
            f"{report.from_epmc} from Europe PMC; {refs.asked} reference lists fetched, "
            f"{refs.stored} references stored ({refs.in_catalogue} in the catalogue)")


def stage_aggregate(engine: Engine, config: Config) -> str:
    """Tag treatments and link threads to studies (as `hairlink aggregate`)."""
    from aggregator.link_types import aggregate_settings
    from aggregator.outcome_config import outcome_cues_for
    from aggregator.run import aggregate

    lexicon, settings = aggregate_settings(config)
    return aggregate(session_factory(engine), lexicon=lexicon, settings=settings,
                     cues=outcome_cues_for(config)).summary()


def stage_export(engine: Engine, out: Path, result: DemoResult) -> str:
    """The HTML site and the Markdown digests of every study (as `hairlink digest --all`)."""
    from aggregator.digest import export_digests
    from models.digest_queries import all_study_ids

    html_dir, md_dir = out / "site", out / "digests"
    with Session(engine) as session:
        ids = all_study_ids(session)
        # The light SVG charts: matplotlib takes ~1.5 s per study on a small machine.
        html = export_digests(session, ids, "html", html_dir, charts="svg")
        md = export_digests(session, ids, "md", md_dir)
    result.index_html = html_dir / "index.html"
    return (f"{len(html.files)} HTML files in {html_dir.name}/, "
            f"{len(md.files)} Markdown digests in {md_dir.name}/")


# -- summary -------------------------------------------------------------------------------

def summarise(engine: Engine) -> dict[str, Any]:
    """Threads and replies per source, treatments found, links made, studies."""
    with Session(engine) as session:
        per_source = {
            name: {"kind": kind, "threads": threads, "replies": 0}
            for name, kind, threads in session.execute(
                select(Source.name, Source.kind, func.count(Thread.id))
                .join(Thread, Thread.source_id == Source.id, isouter=True)
                .group_by(Source.name, Source.kind).order_by(Source.name))
        }
        for name, replies in session.execute(
                select(Source.name, func.count(Reply.id))
                .join(Thread, Thread.source_id == Source.id)
                .join(Reply, Reply.thread_id == Thread.id).group_by(Source.name)):
            per_source[name]["replies"] = replies
        tagged = dict(session.execute(
            select(Source.name, func.count(func.distinct(ThreadTreatment.thread_id)))
            .join(Thread, Thread.source_id == Source.id)
            .join(ThreadTreatment, ThreadTreatment.thread_id == Thread.id)
            .group_by(Source.name)).all())
        links = dict(session.execute(
            select(ThreadStudyLink.kind, func.count()).group_by(ThreadStudyLink.kind)).all())
        for name in per_source:
            per_source[name]["tagged"] = tagged.get(name, 0)
        return {
            "sources": per_source,
            "treatments": session.scalar(
                select(func.count(func.distinct(ThreadTreatment.treatment_id)))) or 0,
            "thread_treatments": session.scalar(select(func.count()).select_from(
                ThreadTreatment)) or 0,
            "links": links,
            "studies": session.scalar(select(func.count()).select_from(Study)) or 0,
            "enriched": session.scalar(select(func.count()).select_from(Study)
                                       .where(Study.tldr.is_not(None))) or 0,
            "crawl_runs": session.scalar(select(func.count()).select_from(CrawlRun)) or 0,
            "community": [s.as_dict() for s in treatment_stats(session, examples=1)[:6]],
            "examples": example_posts(session),
            "references": session.scalar(select(func.count()).select_from(StudyReference))
            or 0,
            "references_in_catalogue": session.scalar(
                select(func.count()).select_from(StudyReference)
                .where(StudyReference.cited_study_id.is_not(None))) or 0,
            "studies_with_similar": session.scalar(
                select(func.count(func.distinct(SimilarStudy.study_id)))) or 0,
            "example_study": _example_study(session),
        }


def example_posts(session: Session, limit: int = 3) -> list[dict[str, Any]]:
    """The best-scored threads that report an outcome: title, summary and outcome chips
    (outcomes by treatment id, `names`: those treatments' display names)."""
    posts = query_posts(session, PostQuery(effect="improved", sort="score", limit=limit))
    posts += query_posts(session, PostQuery(effect="no_effect", sort="score", limit=1))
    names = display_names(session)
    return [{"title": p.title, "summary": p.summary, "outcomes": p.outcomes,
             "names": {t: treatment_name(t, names) for t in p.outcomes}} for p in posts]


def _example_study(session: Session) -> int | None:
    """The study citing the most catalogue studies (the demo prints its research sections)."""
    return session.scalar(
        select(StudyReference.citing_study_id)
        .where(StudyReference.cited_study_id.is_not(None))
        .group_by(StudyReference.citing_study_id)
        .order_by(func.count().desc(), StudyReference.citing_study_id).limit(1))
