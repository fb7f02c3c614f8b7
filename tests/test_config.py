from __future__ import annotations

from pathlib import Path

import pytest

from models.config import ConfigError, load_config, parse_interval

GOOD = """
[database]
url = "sqlite:///x.db"

[[sources]]
name = "tressless"
kind = "reddit"
subreddits = ["tressless", "HairlossResearch"]
every = "30m"

[[sources]]
name = "hlt"
kind = "xenforo"
base_url = "https://www.hairlosstalk.com/interact/"
forums = ["propecia-finasteride.4"]
cron = "0 * * * *"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hairlink.toml"
    path.write_text(text)
    return path


def test_good_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAIRLINK_DATABASE_URL", raising=False)
    config = load_config(write(tmp_path, GOOD))
    assert config.database_url == "sqlite:///x.db"
    reddit = config.source("tressless")
    assert reddit.base_url == "https://oauth.reddit.com"
    assert reddit.get("subreddits") == ["tressless", "HairlossResearch"]
    assert parse_interval(reddit.every) == 1800
    assert config.source("hlt").base_url == "https://www.hairlosstalk.com/interact"


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.delenv("HAIRLINK_DATABASE_URL", raising=False)
    assert load_config().database_url == "sqlite:///hairlink.db"  # no file: defaults
    write(tmp_path, GOOD)
    assert load_config().database_url == "sqlite:///x.db"  # ./hairlink.toml
    other = tmp_path / "other.toml"
    other.write_text('[database]\nurl = "sqlite:///other.db"\n')
    monkeypatch.setenv("HAIRLINK_CONFIG", str(other))
    assert load_config().database_url == "sqlite:///other.db"
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", "postgresql://h/db")
    assert load_config().database_url == "postgresql://h/db"
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "missing.toml")


@pytest.mark.parametrize(("snippet", "source", "key"), [
    ('[[sources]]\nname = "a"\nkind = "myspace"\n', "a", "kind"),
    ('[[sources]]\nname = "a"\nkind = "reddit"\n', "a", "subreddits"),
    ('[[sources]]\nname = "a"\nkind = "reddit"\nsubreddits = ["x y"]\n', "a", "subreddits"),
    ('[[sources]]\nname = "a"\nkind = "discourse"\nbase_url = "ftp://x"\n', "a", "base_url"),
    ('[[sources]]\nname = "a"\nkind = "discourse"\nbase_url = "https://x"\nevery = "often"\n',
     "a", "every"),
    ('[[sources]]\nname = "a"\nkind = "phpbb"\nbase_url = "https://x"\nforums = ["2"]\n',
     "a", "forums"),
    ('[[sources]]\nname = "a"\nkind = "phpbb"\nbase_url = "https://x"\nforums = [2]\n'
     'subreddits = []\n', "a", "subreddits"),
    ('[[sources]]\nname = "a"\nkind = "xenforo"\nbase_url = "https://x"\nforums = ["f.1"]\n'
     'delay = "fast"\n', "a", "delay"),
])
def test_bad_source_names_file_source_and_key(tmp_path: Path, snippet: str, source: str,
                                              key: str) -> None:
    path = write(tmp_path, snippet)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert (info.value.path, info.value.source, info.value.key) == (path, source, key)
    assert str(path) in str(info.value) and repr(key) in str(info.value)


def test_duplicate_names_and_bad_toml(tmp_path: Path) -> None:
    src = '[[sources]]\nname = "a"\nkind = "discourse"\nbase_url = "https://x"\n'
    with pytest.raises(ConfigError, match="duplicate source name"):
        load_config(write(tmp_path, src + src))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[[sources]\n"))


def test_example_config_is_valid() -> None:
    example = Path(__file__).resolve().parents[1] / "hairlink.example.toml"
    config = load_config(example)
    kinds = {s.kind for s in config.sources}
    assert {"reddit", "discourse", "xenforo", "phpbb", "pubmed"} <= kinds


def test_parse_interval() -> None:
    assert parse_interval("45s") == 45
    assert parse_interval("6h") == 21600
    with pytest.raises(ValueError):
        parse_interval("6 weeks")


def test_free_form_sections(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[enrich]\ns2_url = "http://127.0.0.1:9"\n'
                                         '[export]\ndir = "site"\n'))
    assert config.section("enrich") == {"s2_url": "http://127.0.0.1:9"}
    assert config.section("export") == {"dir": "site"}
    assert config.section("schedule") == {}
    with pytest.raises(ConfigError, match="must be a table"):
        load_config(write(tmp_path, 'enrich = 3\n'))


def test_vbulletin_sources(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
[[sources]]
name = "vb"
kind = "vbulletin"
base_url = "https://vb.example/forums/"
forums = [12, "forum/hair-loss/treatments"]
timezone = "America/New_York"
"""))
    src = config.source("vb")
    assert (src.kind, src.base_url) == ("vbulletin", "https://vb.example/forums")
    assert src.get("forums") == [12, "forum/hair-loss/treatments"]
    assert src.get("timezone") == "America/New_York"


@pytest.mark.parametrize(("body", "key", "words"), [
    ('forums = [0]', "forums", ""),
    ('forums = ["../../etc"]', "forums", ""),
    ('forums = []', "forums", ""),
    ('forum = [3]', "forum", "did you mean 'forums'"),
    ('forums = [3]\ntimezone = "Mars/Olympus"', "timezone", ""),
])
def test_bad_vbulletin_sources_name_the_key(tmp_path: Path, body: str, key: str,
                                            words: str) -> None:
    path = write(tmp_path, f'[[sources]]\nname = "vb"\nkind = "vbulletin"\n'
                           f'base_url = "https://vb.example"\n{body}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.source == "vb" and caught.value.key == key
    assert words in str(caught.value)
