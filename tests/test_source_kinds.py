"""The source-kind registry: every registered kind is complete (a spider Scrapy can load, a
parser module that imports, a config model, a score label), and registration is checked."""

from __future__ import annotations

import importlib
from typing import Literal

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from aggregator.digest.present import score_label
from models.source_kinds import (
    SourceKind,
    SourceModel,
    distributed_kinds,
    kind_names,
    register,
    score_noun,
    source_kind,
    source_kinds,
)
from scrapers.distributed.frontier import is_distributed
from tests.test_config import write


@pytest.fixture(scope="module")
def spider_loader() -> SpiderLoader:
    settings = get_project_settings()
    if "scrapers.spiders" not in (settings.getlist("SPIDER_MODULES") or []):
        settings.setmodule("scrapers.settings", priority="project")
    return SpiderLoader.from_settings(settings)


def test_the_builtin_kinds_are_registered() -> None:
    assert {"reddit", "discourse", "xenforo", "phpbb", "pubmed"} <= set(kind_names())
    assert {"discourse", "xenforo", "phpbb"} <= set(distributed_kinds())
    assert not {"reddit", "pubmed"} & set(distributed_kinds())


@pytest.mark.parametrize("kind", source_kinds(), ids=lambda k: k.name)
def test_every_kind_has_a_spider_a_parser_and_a_model(kind: SourceKind,
                                                      spider_loader: SpiderLoader) -> None:
    spider = spider_loader.load(kind.spider)  # KeyError if Scrapy does not know it
    assert spider.name == kind.spider
    module = importlib.import_module(kind.parser)
    assert module.__name__ == kind.parser
    assert issubclass(kind.model, SourceModel)
    assert kind.model.model_fields["kind"].annotation == Literal[kind.name]
    schema = kind.model.model_json_schema()  # the model builds
    assert {"name", "kind", "delay", "timeout"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    assert kind.label
    label = score_label(3, kind.name)
    assert label == f"3 {score_noun(kind.name)}s" and score_noun(kind.name).isalpha()
    if kind.default_base_url:
        assert kind.default_base_url.startswith("https://")


def test_score_labels_come_from_the_registry() -> None:
    assert score_label(257, "reddit") == "257 upvotes"
    assert score_label(1, "discourse") == "1 like"
    assert score_label(12, "xenforo") == "12 reactions"
    assert score_label(None, "phpbb") == "no votes"
    assert score_label(2, "unknown-kind") == "2 votes"


def test_distributed_follows_the_registration(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from models.config import load_config

    config = load_config(write(tmp_path, '[[sources]]\nname = "f"\nkind = "phpbb"\n'
                                         'base_url = "https://x"\nforums = [1]\n'
                                         '[[sources]]\nname = "r"\nkind = "reddit"\n'
                                         'subreddits = ["tressless"]\n'))
    assert is_distributed(config.source("f")) and not is_distributed(config.source("r"))


def test_lookup_of_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="phpbb"):
        source_kind("vbulletin3")


def test_a_registration_is_checked() -> None:
    class Other(SourceModel):
        kind: Literal["other"]

    with pytest.raises(ValueError, match="registered twice"):
        register(SourceKind(name="phpbb", model=Other, spider="phpbb", parser="x"))
    with pytest.raises(ValueError, match="Literal"):
        register(SourceKind(name="another", model=Other, spider="x", parser="x"))
    assert "another" not in kind_names()
