"""The README stays true: its column tables and commands match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factorlink.achievement.columns import SPEC as ACHIEVEMENT
from factorlink.capital.columns import SPEC as CAPITAL
from factorlink.carrier.columns import SPEC as CARRIER
from factorlink.demand.columns import SPEC as DEMAND
from factorlink.expert.columns import SPEC as EXPERT
from factorlink.kit.table import TableSpec
from factorlink.organization.columns import SPEC as ORGANIZATION

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "spec", [ORGANIZATION, ACHIEVEMENT, DEMAND, CAPITAL, CARRIER, EXPERT], ids=lambda s: s.kind
)
def test_readme_column_table_matches_the_spec(spec: TableSpec) -> None:
    match = re.search(rf"^\| `{spec.kind}` \| {spec.label} \| (.+) \|$", README, re.MULTILINE)
    assert match, f"README has no row for {spec.kind}"
    assert match.group(1).split(", ") == [c.display_header for c in spec.columns]


def test_readme_names_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_every_command_in_the_readme_exists() -> None:
    from typer.main import get_command

    from factorlink.cli.main import app

    root = get_command(app)
    block = README.split("## The command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    for line in block.strip().splitlines():
        for part in line.split(" | "):
            words = part.removeprefix("factorlink ").split()
            command = root
            for word in words:
                sub = getattr(command, "commands", {}).get(word)
                if sub is None:
                    break
                command = sub
            assert command is not root, f"README names an unknown command: {part}"
            for option in (
                w.strip("[]").split("=")[0] for w in words if w.startswith(("--", "[--"))
            ):
                names = {o for p in command.params for o in p.opts}
                assert option in names, f"{part}: {option} is not an option of it"
