"""Topics are ids in content and filters, names on screen: every topic a drill or a round uses has a name in
zh and en, and the commands show the name."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from tfprep.cli import app
from tfprep.grading.drills import all_drills
from tfprep.topics import TOPICS, topic_name

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_topic_has_a_name_in_both_languages():
    used = {d.topic for d in all_drills()} | set(TOPICS)
    for topic in used:
        assert CJK.search(topic_name(topic, "zh")), topic
        en = topic_name(topic, "en")
        assert en and not CJK.search(en) and "-" not in en, (topic, en)
    assert topic_name("my-own-tag", "zh") == "my-own-tag"  # a user's tag is shown as it is


def test_drill_list_shows_topic_names(home):
    runner = CliRunner()
    zh = runner.invoke(app, ["drill", "list", "--lang", "zh"], env={"COLUMNS": "160"})
    assert zh.exit_code == 0, zh.output
    (rope,) = [line for line in zh.stdout.splitlines() if line.split()[:1] == ["rope"]]
    assert "位置编码" in rope and "positional" not in rope  # the topic's name, not its id
    en = runner.invoke(app, ["drill", "list", "--lang", "en"], env={"COLUMNS": "160"})
    (rope,) = [line for line in en.stdout.splitlines() if line.split()[:1] == ["rope"]]
    assert "positional encoding" in rope
