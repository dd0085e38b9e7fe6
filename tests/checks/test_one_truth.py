"""One truth: ``status``, ``check``, the gate and ``build`` count against the current
templates, for the document and for the interface strings (``ui``)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.catalogs.pofile import generate_po, read_po
from pipeline.project import Project

from ..conftest import Result

DOC = "myeloma-second-line"


def xliff_round_trip(path: Path, tmp_path: Path) -> None:
    """po2xliff then xliff2po (translate-toolkit): what a CAT tool hands back, no msgctxt."""
    tools = Path(sys.executable).parent
    xlf = tmp_path / "round.xlf"
    subprocess.run([tools / "po2xliff", "-i", path, "-o", xlf], check=True, capture_output=True)
    subprocess.run([tools / "xliff2po", "-i", xlf, "-o", path], check=True, capture_output=True)


def status_of(cli: Callable[..., Result], code: str, domain: str) -> dict[str, object]:
    data = json.loads(cli("status", "--json").out)
    row: dict[str, object] = data["locales"][code]["domains"][domain]
    return row


def gate_of(cli: Callable[..., Result], code: str) -> dict[str, object]:
    result = cli("check", "--json")
    data = json.loads(result.out)
    row: dict[str, object] = next(r for r in data["gate"]["results"] if r["locale"] == code)
    return row


def test_status_and_gate_agree_after_an_xliff_round_trip(
    project: Project, cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Before: status said es 31/31, 100% while check said withheld at 58.1%."""
    xliff_round_trip(project.po_path("es", DOC), tmp_path)
    status = status_of(cli, "es", DOC)
    verdict = gate_of(cli, "es")
    assert status["percent"] == verdict["completeness"] < 100
    assert not verdict["published"]
    template = [e for e in read_po(project.pot_path(DOC)) if not e.obsolete]
    assert status["total"] == len(template)
    assert status["missing"] == sum(1 for e in template if e.msgctxt)
    table = cli("status").out
    assert f"{status['missing']} not in the file: run carepack update" in table
    project.update(["es"])
    after = status_of(cli, "es", DOC)
    assert after["missing"] == 0 and after["percent"] == gate_of(cli, "es")["completeness"]
    assert after["fuzzy"] == status["missing"]


def drop_ui_entry(project: Project, code: str, msgid: str, fuzzy: bool = False) -> None:
    path = project.po_path(code, "ui")
    po = read_po(path, code)
    entry = next(e for e in po if e.msgid == msgid)
    if fuzzy:
        entry.flags.append("fuzzy")
    else:
        po.remove(entry)
    path.write_text(generate_po(po), encoding="utf-8")


def test_a_missing_interface_string_withholds_the_locale(
    project: Project, project_dir: Path, cli: Callable[..., Result]
) -> None:
    """Before: check had no finding and build published the es page labelled 'Contents'."""
    drop_ui_entry(project, "es", "Contents")
    check = cli("check", "--json")
    assert check.code != 0
    data = json.loads(check.out)
    (finding,) = [
        f
        for items in data["findings"]["locales"].values()
        for f in items
        if f["check"] == "ui-incomplete"
    ]
    assert finding["locale"] == "es" and finding["severity"] == "error"
    assert finding["file"].endswith("es/LC_MESSAGES/ui.po") and finding["msgid"] == "Contents"
    assert "see it in English" in finding["message"]
    assert data["gate"]["withheld"] == ["es"]
    ui = status_of(cli, "es", "ui")
    assert ui["missing"] == 1 and ui["percent"] < 100
    build = cli("build", "--no-audio")
    # Not published; a translation not finished is pending, not a failure (issue 14).
    assert build.code == 0 and "Pending: myeloma-second-line/es" in build.out
    assert "ui.po" in build.out and "Contents" in build.out
    assert not (project_dir / "output" / DOC / "es" / "index.html").exists()
    assert (project_dir / "output" / DOC / "fr" / "index.html").is_file()


def test_a_fuzzy_interface_string_is_an_error_with_its_line(
    project: Project, cli: Callable[..., Result]
) -> None:
    drop_ui_entry(project, "fr", "Important", fuzzy=True)
    data = json.loads(cli("check", "--json").out)
    (finding,) = [
        f
        for items in data["findings"]["locales"].values()
        for f in items
        if f["check"] == "ui-incomplete"
    ]
    line = next(e.linenum for e in read_po(project.po_path("fr", "ui")) if e.msgid == "Important")
    assert (finding["locale"], finding["line"], finding["msgctxt"]) == ("fr", line, "disclaimer")
    assert "is fuzzy" in finding["message"]
    assert data["gate"]["withheld"] == ["fr"]
