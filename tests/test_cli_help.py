"""``--help`` of every command says what it does, its arguments and its exit codes
(issue 13, point 10)."""

from __future__ import annotations

import argparse

import pytest

from pipeline import errors
from pipeline.cli import build_parser, main
from pipeline.usage import COMMANDS, EXIT_CODES


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def help_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_command_has_a_description_and_exit_codes() -> None:
    assert set(commands()) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_of_each_command(capsys: pytest.CaptureFixture[str], name: str) -> None:
    text = help_text(capsys, name)
    description, codes = COMMANDS[name]
    assert " ".join(text.split()).count(" ".join(description.split()[:8])) == 1
    assert "exit codes:" in text
    for code in codes:
        assert f"{code:>2}  {EXIT_CODES[code]}" in text
    for action in commands()[name]._actions:
        if action.help and action.help != argparse.SUPPRESS:
            assert action.help.split()[0] in text


def test_top_level_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys)
    for code, meaning in EXIT_CODES.items():
        assert f"{code:>2}  {meaning}" in text


def test_every_error_class_has_its_exit_code_explained() -> None:
    classes = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.CarepackError)
    ]
    assert {cls.exit_code for cls in classes} <= set(EXIT_CODES)


@pytest.mark.parametrize(
    "argv",
    [
        ["update"],
        ["--root", "update", "update", "--locale", "es"],
        ["--debug", "--root=x", "build", "--no-audio", "--strict"],
        ["terms", "es", "fr", "--extract", "--limit", "5"],
        ["script", "myeloma-second-line", "es"],
        ["verify", "a.zip", "b.zip"],
        ["status", "--json"],
    ],
)
def test_a_command_parsed_alone_is_parsed_as_by_the_whole_command_line(argv: list[str]) -> None:
    """``carepack COMMAND`` builds only that command's parser (start-up): the arguments
    come out the same as with every command's."""
    from pipeline.cli import _command_named

    only = _command_named(argv)
    assert only in COMMANDS
    assert vars(build_parser(only).parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [[], ["--help"], ["update", "--help"], ["--version"], ["--ro", "x", "update"], ["updat"]],
)
def test_anything_else_gets_the_whole_command_line(argv: list[str]) -> None:
    """Help, the version, an abbreviated option or a mistyped command: every command is
    built, so that help lists them all and an error names the choices."""
    from pipeline.cli import _command_named

    assert _command_named(argv) is None


def test_a_mistyped_command_is_told_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["updat"])
    assert done.value.code == 2
    assert "invalid choice: 'updat'" in capsys.readouterr().err
