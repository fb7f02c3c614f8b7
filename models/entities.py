"""The hairlink data model: SQLAlchemy 2 typed ORM classes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from models.fulltext import create_fulltext, drop_fulltext
from models.kinds import CrawlStatus, Effect, LinkKind, ReferenceService
from models.types import JSONType, UTCDateTime, words

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# A primary-key column that is also a foreign key to the row it belongs to (deleted with it).
ThreadKey = Annotated[int, mapped_column(ForeignKey("thread.id", ondelete="CASCADE"),
                                         primary_key=True)]
StudyKey = Annotated[int, mapped_column(ForeignKey("study.id", ondelete="CASCADE"),
                                        primary_key=True)]
TreatmentKey = Annotated[str, mapped_column(ForeignKey("treatment.id", ondelete="CASCADE"),
                                            primary_key=True)]


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType}


class Source(Base):
    """A configured community or study source (one `[[sources]]` entry)."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    base_url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]

    threads: Mapped[list[Thread]] = relationship(back_populates="source")


class Thread(Base):
    """One forum thread, unique per (source, external id)."""

    __tablename__ = "thread"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        Index("ix_thread_score", "score"),
        Index("ix_thread_created_at", "created_at"),
        Index("ix_thread_source_created", "source_id", "created_at"),
        # Score-ordered pages filtered by date (the web view's posts search): the walk down
        # the scores reads the date from the index instead of each thread row.
        Index("ix_thread_score_id_created", "score", "id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[int | None] = mapped_column(Integer)
    num_comments: Mapped[int] = mapped_column(Integer, default=0)
    author_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(40))
    # The content hash the aggregator last tagged and linked (None: never aggregated).
    aggregated_hash: Mapped[str | None] = mapped_column(String(40))
    # What the poster reports or asks and what the replies say (≤ 45 words; aggregator).
    summary: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="threads")
    replies: Mapped[list[Reply]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", passive_deletes=True
    )
    treatments: Mapped[list[ThreadTreatment]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", passive_deletes=True
    )
    links: Mapped[list[ThreadStudyLink]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", passive_deletes=True
    )


class Reply(Base):
    """A top reply of a thread (treatments are often named there)."""

    __tablename__ = "reply"
    __table_args__ = (UniqueConstraint("thread_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int | None] = mapped_column(Integer)
    author_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime | None]
    position: Mapped[int] = mapped_column(Integer, default=0)

    thread: Mapped[Thread] = relationship(back_populates="replies")


class ScoreSnapshot(Base):
    """A thread's score and reply count when first seen and whenever they change."""

    __tablename__ = "score_snapshot"
    __table_args__ = (Index("ix_score_snapshot_thread_observed", "thread_id", "observed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    observed_at: Mapped[datetime]
    score: Mapped[int | None] = mapped_column(Integer)
    num_comments: Mapped[int] = mapped_column(Integer)


class Study(Base):
    """A research paper; each normalised identifier is unique across studies."""

    __tablename__ = "study"

    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str | None] = mapped_column(String(20), unique=True)
    doi: Mapped[str | None] = mapped_column(String(300), unique=True)
    pmcid: Mapped[str | None] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    journal: Mapped[str | None] = mapped_column(String(500))
    pub_year: Mapped[int | None] = mapped_column(Integer)
    pub_month: Mapped[int | None] = mapped_column(Integer)
    pub_day: Mapped[int | None] = mapped_column(Integer)
    abstract: Mapped[str | None] = mapped_column(Text)
    tldr: Mapped[str | None] = mapped_column(Text)
    citation_count: Mapped[int | None] = mapped_column(Integer)
    mesh_terms: Mapped[list[str]] = mapped_column(JSONType, default=list)
    publication_types: Mapped[list[str]] = mapped_column(JSONType, default=list)
    url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    enriched_at: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(40), default="")
    # The content hash the aggregator last linked (None: never aggregated).
    aggregated_hash: Mapped[str | None] = mapped_column(String(40))
    # Best topic score a thread not among its kept links and candidates can have (None:
    # every thread above the threshold is kept); set by the aggregator.
    topic_floor: Mapped[float | None] = mapped_column(Float)

    treatments: Mapped[list[StudyTreatment]] = relationship(
        back_populates="study", cascade="all, delete-orphan", passive_deletes=True
    )
    links: Mapped[list[ThreadStudyLink]] = relationship(
        back_populates="study", cascade="all, delete-orphan", passive_deletes=True
    )


class Treatment(Base):
    """A canonical treatment from the lexicon (e.g. `minoxidil`)."""

    __tablename__ = "treatment"

    id: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))


class ThreadTreatment(Base):
    """A treatment mentioned by a thread: how often, in which forms, where, and what the
    thread reports about it (`effect`: improved | no_effect | mixed | none; side effects)."""

    __tablename__ = "thread_treatment"
    __table_args__ = (Index("ix_thread_treatment_treatment", "treatment_id", "thread_id"),)

    thread_id: Mapped[ThreadKey]
    treatment_id: Mapped[TreatmentKey]
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    forms: Mapped[list[str]] = mapped_column(JSONType, default=list)
    locations: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Server defaults only: a bulk insert naming some columns must not gain these two.
    effect: Mapped[Effect] = mapped_column(words(Effect, 10), server_default="none")
    side_effects: Mapped[list[str]] = mapped_column(JSONType, server_default="[]")

    thread: Mapped[Thread] = relationship(back_populates="treatments")
    treatment: Mapped[Treatment] = relationship()


class StudyTreatment(Base):
    """A treatment a study concerns."""

    __tablename__ = "study_treatment"
    __table_args__ = (Index("ix_study_treatment_treatment", "treatment_id", "study_id"),)

    study_id: Mapped[StudyKey]
    treatment_id: Mapped[TreatmentKey]

    study: Mapped[Study] = relationship(back_populates="treatments")
    treatment: Mapped[Treatment] = relationship()


class ThreadStudyLink(Base):
    """A thread linked to a study: `citation` (carries its identifier) or `topic`."""

    __tablename__ = "thread_study_link"
    __table_args__ = (
        Index("ix_thread_study_link_study_score", "study_id", "score"),
        Index("ix_thread_study_link_thread", "thread_id"),
    )

    thread_id: Mapped[ThreadKey]
    study_id: Mapped[StudyKey]
    kind: Mapped[LinkKind] = mapped_column(words(LinkKind, 10))
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    thread: Mapped[Thread] = relationship(back_populates="links")
    study: Mapped[Study] = relationship(back_populates="links")


class StudyStats(Base):
    """What the threads linked to a study add up to (`models.study_stats`): stored by the
    aggregator with the links, read by the web view's study pages instead of counting."""

    __tablename__ = "study_stats"

    study_id: Mapped[StudyKey]
    related_total: Mapped[int] = mapped_column(Integer)
    citing_total: Mapped[int] = mapped_column(Integer)
    # "YYYY-MM" -> linked threads created that month (UTC)
    months: Mapped[dict[str, Any]] = mapped_column(JSONType)
    # [treatment id, effect, side effects, linked threads] per combination
    outcomes: Mapped[list[Any]] = mapped_column(JSONType)
    computed_at: Mapped[datetime]


class TopicCandidate(Base):
    """A topic candidate ranked just below a study's kept links (`max_topic_links`).

    The aggregator keeps these so that an incremental run can refill a study's links when
    a changed thread drops out of them, without rescanning every thread.
    """

    __tablename__ = "topic_candidate"
    __table_args__ = (Index("ix_topic_candidate_study_score", "study_id", "score"),
                      Index("ix_topic_candidate_thread", "thread_id"))

    thread_id: Mapped[ThreadKey]
    study_id: Mapped[StudyKey]
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class CrawlRun(Base):
    """One crawl of one source: status and counts."""

    __tablename__ = "crawl_run"
    __table_args__ = (Index("ix_crawl_run_source_started", "source_name", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_name: Mapped[str] = mapped_column(String(100))
    spider: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[CrawlStatus] = mapped_column(words(CrawlStatus, 20), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    pid: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)


class Meta(Base):
    """Small key/value state (e.g. the lexicon hash the aggregator last used)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReferencePaper(Base):
    """A paper some study cites that is not in the catalogue (a light row).

    Identifiers are normalised and unique; a reference without any keeps its title and year.
    When a study with one of these identifiers is stored, `upsert_study` adopts the row: its
    edges move to the study and the light row goes (never two rows for one paper).
    """

    __tablename__ = "reference_paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str | None] = mapped_column(String(20), unique=True)
    doi: Mapped[str | None] = mapped_column(String(300), unique=True)
    pmcid: Mapped[str | None] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    pub_year: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class StudyReference(Base):
    """An edge: study `citing_study_id` cites, at `position` in its reference list, either a
    catalogue study (`cited_study_id`) or a light `reference_paper` (`cited_paper_id`)."""

    __tablename__ = "study_reference"
    __table_args__ = (
        Index("ix_study_reference_cited_study", "cited_study_id", "citing_study_id"),
        Index("ix_study_reference_cited_paper", "cited_paper_id"),
    )

    citing_study_id: Mapped[StudyKey]
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    cited_study_id: Mapped[int | None] = mapped_column(
        ForeignKey("study.id", ondelete="CASCADE"))
    cited_paper_id: Mapped[int | None] = mapped_column(
        ForeignKey("reference_paper.id", ondelete="CASCADE"))


class ReferenceFetch(Base):
    """When and from where a study's reference list was fetched (enrichment asks once)."""

    __tablename__ = "reference_fetch"

    study_id: Mapped[StudyKey]
    fetched_at: Mapped[datetime]
    source: Mapped[ReferenceService] = mapped_column(words(ReferenceService, 10))
    received: Mapped[int] = mapped_column(Integer, default=0)  # entries the service gave
    stored: Mapped[int] = mapped_column(Integer, default=0)  # edges kept


class SimilarStudy(Base):
    """One of a study's most similar catalogue studies (set by the aggregator)."""

    __tablename__ = "similar_study"

    study_id: Mapped[StudyKey]
    similar_id: Mapped[StudyKey]
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)


# The full-text index of threads (models.fulltext) lives outside the ORM metadata: created
# with the tables, dropped before them. Migration 0005fulltext creates it for stored databases.
event.listen(Base.metadata, "after_create",
             lambda _target, connection, **_: create_fulltext(connection))
event.listen(Base.metadata, "before_drop",
             lambda _target, connection, **_: drop_fulltext(connection))
