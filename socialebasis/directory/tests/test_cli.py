"""The `socialebasis` console command: help texts and the search sub-command."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from socialebasis.directory.management.commands.search import format_distance
from socialebasis.directory.tests.test_search import world  # noqa: F401  (fixture)


def test_top_level_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "socialebasis.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for command in ("demo", "import-cbs", "import-hsds", "export-hsds", "search"):
        assert command in out


@pytest.mark.parametrize("command", ["search", "rebuild_search_index"])
def test_sub_command_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        call_command(command, "--help")
    assert info.value.code == 0
    assert "usage" in capsys.readouterr().out


@pytest.mark.django_db
def test_search_table(world, capsys):  # noqa: F811
    call_command("search", "schulden", "--near", "1055")
    out = capsys.readouterr().out
    assert "Plaats: 1055 (postcode)" in out
    assert "1. Schuldhulpverlening West" in out
    assert "300 m" in out


@pytest.mark.django_db
def test_search_json(world, capsys):  # noqa: F811
    call_command("search", "eenzaam", "--near", "1055", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["place"]["kind"] == "postcode"
    assert data["results"][0]["distance_m"] > 0
    assert {r["name"] for r in data["results"]} >= {"Buurtkamer De Kolenkit"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eenzaam", "--near", "Atlantis"], "--near: Plaats 'Atlantis' niet gevonden"),
        (["eenzaam", "--radius", "ver"], "--radius: Afstand moet een geheel aantal meters zijn"),
        (["eenzaam", "--limit", "0"], "--limit: "),
        ([], "text: Vul in wat u zoekt"),
    ],
)
def test_search_errors_name_the_field(world, args, message):  # noqa: F811
    with pytest.raises(CommandError, match=message):
        call_command("search", *args)


def test_format_distance():
    assert format_distance(None) == ""
    assert format_distance(347) == "350 m"
    assert format_distance(1234) == "1,2 km"
