"""The ``carepack`` command: parse arguments, call the library, print, map errors to exit codes.

Each command imports only the modules it uses (start-up is part of every
command's time: ``carepack --version`` loads no library module at all).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import signal
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .errors import BuildError, CarepackError, FileSystemError

if TYPE_CHECKING:
    from .catalogs.outcome import Outcome
    from .config import Config
    from .project import Project


def _config(args: argparse.Namespace) -> Config:
    from .config import load_config

    return load_config(Path(args.root).resolve())


def _project(args: argparse.Namespace, config: Config | None = None) -> Project:
    from .project import Project

    return Project(config or _config(args))


def _print_json(data: object) -> None:
    import json  # (only the commands that print JSON load it)

    print(json.dumps(data, ensure_ascii=False, indent=2))


def _print_errors(errors: Sequence[CarepackError]) -> int:
    """Print each error (file:line first); return the highest exit code, 0 if none."""
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return max((error.exit_code for error in errors), default=0)


def _print_outcome(project: Project, outcome: Outcome, verb: str) -> int:
    for path in outcome.written:
        print(f"{verb} {project.relative(path)}")
    print(f"{len(outcome.written)} file(s) {verb}, {len(outcome.unchanged)} unchanged.")
    if outcome.from_memory:
        print(
            f"{outcome.from_memory} empty entr{'y' if outcome.from_memory == 1 else 'ies'} "
            "filled from translation memory (see the '# Translation memory:' comments)."
        )
    return _print_errors([*project.source_errors, *outcome.errors])


def cmd_extract(args: argparse.Namespace) -> int:
    project = _project(args)
    return _print_outcome(project, project.extract(), "wrote")


def cmd_update(args: argparse.Namespace) -> int:
    from .catalogs.update_run import run_update

    config = _config(args)
    project, outcome = run_update(config, args.locale or None, lambda: _project(args, config))
    if project is None:
        print(f"0 file(s) updated, {len(outcome.unchanged)} unchanged.")
        return 0
    return _print_outcome(project, outcome, "updated")


def cmd_compile(args: argparse.Namespace) -> int:
    project = _project(args)
    return _print_outcome(project, project.compile(), "compiled")


def cmd_status(args: argparse.Namespace) -> int:
    from .catalogs.status_report import publishing_table, status_json, status_table
    from .publishing.steps import publishing_states

    project = _project(args)
    rows, errors = project.status()
    states = publishing_states(project)
    if args.json:
        data = status_json(project, rows, errors, states)
        _print_json(data)
    else:
        print(status_table(rows))
        print()
        print(publishing_table(states))
    return _print_errors([*project.source_errors, *errors])


def cmd_build(args: argparse.Namespace) -> int:
    from .build.unchanged import BuildInputs

    started = time.perf_counter()
    config = _config(args)
    strict, audio = args.strict or config.strict, not args.no_audio
    scheduler = _scheduler(args.scheduler, config.scheduler)
    inputs = BuildInputs.read(config, audio, strict)
    last = inputs.last_summary(config) if scheduler is None else None
    if last is not None:  # nothing to do: the build's own modules are not even loaded
        print("Nothing changed since the last build: every output is up to date.")
        print(f"Built in {time.perf_counter() - started:.1f} s; 0 audio track(s) spoken.")
        print("\n".join(last))
        return 0
    if scheduler is None:  # before any thread or worker process starts
        from .build.malloc_arenas import limit_malloc_arenas

        limit_malloc_arenas()
    if scheduler is None:  # the handout renderer loads WeasyPrint while the build loads
        from .handout.worker import warm_up as warm_up_handouts

        # First, forked from this process while no thread runs: in a one-entry rebuild the
        # handout ends last, and the speech workers have their fork server long before
        # the first script is ready.
        warm_up_handouts()
    if audio and scheduler is None:  # speech workers fork from it, ready while the build loads
        from .audio.workers import start_fork_server

        start_fork_server()
    from .build.run import build  # the build's modules load only for the commands that use them
    from .commands import build_summary

    project = _project(args, config)
    report = build(project, audio=audio, scheduler=scheduler)
    summary = build_summary(project, report, strict)
    print(summary)
    status = _print_errors([*project.source_errors, *report.errors])
    if report.withheld or report.errors:
        return max(BuildError.exit_code, status)
    if strict and report.pending:
        print(
            f"error: {len(report.pending)} translation(s) pending, and strict is on "
            "(--strict or strict = true in carepack.toml)",
            file=sys.stderr,
        )
        return BuildError.exit_code
    if status == 0 and not report.kept and scheduler is None:
        after = BuildInputs.read(config, audio, strict)
        inputs.remember(config, after, summary.splitlines()[1:])
    return status


def _scheduler(flag: str | None, configured: str | None) -> str | None:
    if not flag and not configured and "DASK_SCHEDULER_ADDRESS" not in os.environ:
        return None  # a local build imports nothing of the cluster's
    from .build.cluster import scheduler_address

    return scheduler_address(flag, configured)


def cmd_check(args: argparse.Namespace) -> int:
    from .commands import run_check

    project = _project(args)
    result = run_check(project, strict=args.strict)
    if args.json:
        _print_json(result.as_json())
    else:
        print(result.as_text())
    return max(result.exit_code, _print_errors(project.source_errors))


def cmd_script(args: argparse.Namespace) -> int:
    from .commands import script_text

    project = _project(args)
    print(script_text(project, args.document, args.locale))
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    from .commands import term_candidates, term_usages
    from .fsutil import atomic_write_text
    from .termbase.report import candidates_csv, render_candidates, render_usage, usage_json

    project = _project(args)
    if args.extract:
        candidates = term_candidates(project)
        if args.csv:
            atomic_write_text(Path(args.csv), candidates_csv(candidates))
            print(f"wrote {args.csv} ({sum(not c.known for c in candidates)} new candidates)")
        else:
            print(render_candidates(candidates, args.limit))
        return 0
    usages, errors = term_usages(project, args.locale or list(project.config.locales))
    if args.json:
        data = [usage_json(code, glossary, rows) for code, glossary, rows in usages]
        _print_json(data)
    else:
        print("\n\n".join(render_usage(code, glossary, rows) for code, glossary, rows in usages))
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return max((error.exit_code for error in errors), default=0)


def cmd_verify(args: argparse.Namespace) -> int:
    from .pack.verify import verify_pack

    status = 0
    for path in args.packs:
        try:
            manifest = verify_pack(Path(path))
        except CarepackError as error:
            print(f"carepack: error: {error}", file=sys.stderr)
            status = max(status, error.exit_code)
            continue
        files = len(manifest.get("files", []))
        locale = manifest.get("locale", {}).get("code", "?")
        print(f"{path}: OK ({locale}, {files} files match the manifest)")
    return status


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; ``only``: the one command to build (argparse's sub-parsers take
    some 0.4 ms each to make, looking up their messages' translations): None, every one."""
    parser = argparse.ArgumentParser(
        prog="carepack",
        description="Turn patient-education texts into translated, large-print and spoken packs.",
    )
    parser.add_argument("--version", action="version", version=f"carepack {__version__}")
    parser.add_argument("--root", default=".", help="project directory (default: current)")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print the traceback of an error too (for bug reports)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser | None:
        return sub.add_parser(name, help=help) if only in (None, name) else None

    if extract := command("extract", "write locales/*.pot from source/ and the interface"):
        extract.set_defaults(func=cmd_extract)
    if update := command("update", "extract, then merge into every locale's PO files"):
        update.add_argument("--locale", action="append", help="only this locale (repeatable)")
        update.set_defaults(func=cmd_update)
    if compile_cmd := command("compile", "compile PO files to MO files under output/locale/"):
        compile_cmd.set_defaults(func=cmd_compile)
    if build_cmd := command("build", "check, then build pages, audio and packs"):
        build_cmd.add_argument("--no-audio", action="store_true", help="skip speech synthesis")
        build_cmd.add_argument(
            "--strict",
            action="store_true",
            help="a pending translation (not finished yet) fails the build, for a release",
        )
        build_cmd.add_argument(
            "--scheduler",
            metavar="ADDRESS",
            help="make each language's outputs on this Dask cluster (tcp://host:8786); wins "
            "over DASK_SCHEDULER_ADDRESS, which wins over [build] scheduler in carepack.toml",
        )
        build_cmd.set_defaults(func=cmd_build)
    if check := command("check", "reading level, entry checks and the disclaimer gate"):
        check.add_argument("--json", action="store_true", help="print JSON")
        check.add_argument("--strict", action="store_true", help="warnings count as errors")
        check.set_defaults(func=cmd_check)
    if script := command("script", "print the spoken script of a document"):
        script.add_argument("document", help="document id (source/<id>.md)")
        script.add_argument("locale", help="locale code, e.g. es")
        script.set_defaults(func=cmd_script)
    help_terms = "glossary terms and how the catalogs use them; --extract proposes new ones"
    if terms := command("terms", help_terms):
        terms.add_argument("locale", nargs="*", help="locale codes (default: every locale)")
        terms.add_argument("--json", action="store_true", help="print JSON")
        terms.add_argument(
            "--extract", action="store_true", help="propose candidate terms from the master texts"
        )
        terms.add_argument("--limit", type=int, default=40, help="candidates shown (default 40)")
        terms.add_argument("--csv", help="with --extract: write new candidates as a glossary CSV")
        terms.set_defaults(func=cmd_terms)
    if verify := command("verify", "check packs against their manifests"):
        verify.add_argument("packs", nargs="+", help="zip files")
        verify.set_defaults(func=cmd_verify)
    if status := command("status", "translation status of every locale"):
        status.add_argument("--json", action="store_true", help="print JSON")
        status.set_defaults(func=cmd_status)
    _describe(sub.choices)
    from .usage import EXIT_CODES, epilog

    parser.epilog = epilog(tuple(EXIT_CODES)) + "\n\n`carepack COMMAND --help` says more."
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs when it can be told without parsing (the global options
    before it spelled out, no help or version asked for); else None."""
    from .usage import COMMANDS

    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    words = iter(argv)
    for arg in words:
        if arg == "--root":
            next(words, None)
        elif not (arg.startswith("--root=") or arg == "--debug"):
            return arg if arg in COMMANDS else None
    return None


def _describe(commands: dict[str, argparse.ArgumentParser]) -> None:
    """Give every command its description and exit codes (:mod:`pipeline.usage`)."""
    from .usage import COMMANDS, epilog

    for name, command in commands.items():
        description, codes = COMMANDS.get(name, (command.description or "", (0,)))
        command.description = textwrap.fill(description, 79)
        command.epilog = epilog(codes)
        command.formatter_class = argparse.RawDescriptionHelpFormatter


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_command_named(argv)).parse_args(argv)
    try:
        os.getcwd()  # every relative path, and every worker process, needs it
    except FileNotFoundError:
        print(
            "carepack: error: the current folder no longer exists (it was removed or "
            "replaced since this shell entered it); cd into the project folder again and "
            "run carepack there",
            file=sys.stderr,
        )
        return FileSystemError.exit_code
    try:
        return int(args.func(args))
    except (CarepackError, OSError) as caught:
        if isinstance(caught, CarepackError):
            error = caught
        else:
            from .fsutil import system_error

            error = system_error(caught)
        if args.debug:
            import traceback  # (only for --debug: it loads the tokenizer for source lines)

            traceback.print_exception(caught)
        print(f"carepack: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("carepack: interrupted; nothing half-written was left behind.", file=sys.stderr)
        return 130


#: The cyclic garbage collector's thresholds for a command (CPython's are 700, 10, 10).
#: A build keeps large structures alive to the end (the pronouncing dictionary alone is
#: a million objects) and each collection of the oldest generation walks them all: at
#: CPython's default thresholds collection took about a second of a cold build's CPU.
GC_THRESHOLDS = (10_000, 10, 10)


def run() -> None:
    """The ``carepack`` console script."""
    if hasattr(signal, "SIGPIPE"):  # `carepack status | head` ends quietly, as other tools do
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        status = main()
    finally:
        # What is left is freed with the process: without this the interpreter's last
        # collection walks every object once more at exit (0.6 s after a cold build).
        gc.freeze()
    end(status)


def end(status: int) -> NoReturn:
    """End the process as the interpreter's own exit does (threads joined, output
    flushed, exit handlers run: the speech workers' fork server is stopped and its
    folder removed), but without unloading every module one by one, which a caller
    waited for after each command (about 20 ms after a build)."""
    threading._shutdown()  # type: ignore[attr-defined]  # what the interpreter calls first
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a reader gone away
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
