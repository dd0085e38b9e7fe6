"""Translation memory across documents and from compendia, on two leaflets that share
sentences (tests/data/memory/): exact and close matches, the reviewed-only rule for the
disclaimer, translators' entries never overwritten, an idempotent update, and catalogs
that GNU ``msgfmt --check`` and ``msgmerge`` accept unchanged."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalogs.memory import MEMORY_NOTE, fill_from_memory, from_memory, memory_of
from pipeline.catalogs.pofile import read_po
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import ConfigError, PoFileError
from pipeline.project import Project

from ..conftest import DATA, msgfmt_check

MEMORY = DATA / "memory"
FATIGUE_ES = {
    "Living with Fatigue during Cancer Treatment": "Vivir con cansancio durante el tratamiento del cáncer",
    "Fatigue is a feeling of tiredness that does not go away with rest. Many people feel it during and after treatment.": "El cansancio es una sensación de agotamiento que no se quita con el descanso. Muchas personas lo sienten durante el tratamiento y después.",
    "What You Can Do": "Lo que usted puede hacer",
    "Short walks and gentle exercise can give you more energy.": "Caminar un poco y hacer ejercicio suave puede darle más energía.",
    "Talk to your care team about any new symptoms.": "Hable con su equipo de atención sobre cualquier síntoma nuevo.",
    "For more information, consider visiting trusted sources such as the American Cancer Society or the National Cancer Institute.": "Para obtener más información, consulte fuentes confiables como la Sociedad Americana contra el Cáncer o el Instituto Nacional del Cáncer.",
    "Disclaimer": "Descargo de responsabilidad",
    "This leaflet is for information only. It does not replace the advice of your doctor or nurse.": "Este folleto es solo informativo. No reemplaza los consejos de su médico o enfermera.",
}
CARE_TEAM = "Talk to your care team about any new symptoms."
MORE_INFO = (
    "For more information, consider visiting trusted sources such as the American Cancer Society."
)
DISCLAIMER = (
    "This leaflet is for information only. It does not replace the advice of your doctor or nurse."
)
SLEEP_INTRO = "Good sleep helps your body heal. Try to go to bed at the same time each night."


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with the fatigue leaflet only, in Spanish."""
    root = tmp_path / "leaflets"
    (root / "source").mkdir(parents=True)
    (root / "carepack.toml").write_text('source_language = "en"\nlocales = ["es"]\n')
    shutil.copy(MEMORY / "fatigue.md", root / "source")
    return root


def po_path(root: Path, doc: str, code: str = "es") -> Path:
    return root / "locales" / code / "LC_MESSAGES" / f"{doc}.po"


def translate_fatigue(root: Path, review: str) -> None:
    """The translator's work on the fatigue leaflet, saved as their editor would."""
    path = po_path(root, "fatigue")
    po = polib.pofile(str(path), wrapwidth=79)
    for entry in po:
        entry.msgstr = FATIGUE_ES[entry.msgid]
    po.metadata["X-Review-Status"] = review
    po.save(str(path))


def add_sleep(root: Path) -> polib.POFile:
    shutil.copy(MEMORY / "sleep.md", root / "source")
    assert main(["--root", str(root), "update"]) == 0
    return read_po(po_path(root, "sleep"))


def entry(po: polib.POFile, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    found = po.find(msgid, msgctxt=msgctxt)
    assert found is not None, msgid
    return found


@pytest.mark.parametrize("review", ["reviewed", "draft"])
def test_a_new_document_is_filled_from_another(root: Path, review: str) -> None:
    assert main(["--root", str(root), "update"]) == 0
    translate_fatigue(root, review)
    sleep = add_sleep(root)
    origin = "locales/es/LC_MESSAGES/fatigue.po"

    care = entry(sleep, CARE_TEAM)
    assert care.msgstr == FATIGUE_ES[CARE_TEAM]
    assert "fuzzy" not in care.flags
    assert care.tcomment == f"{MEMORY_NOTE}exact match, from {origin}"
    assert entry(sleep, "What You Can Do").msgstr == "Lo que usted puede hacer"

    close = entry(sleep, MORE_INFO)
    assert close.flags[0] == "fuzzy"
    assert close.msgstr == FATIGUE_ES[close.previous_msgid]
    assert close.previous_msgid.endswith("or the National Cancer Institute.")
    assert close.tcomment.startswith(MEMORY_NOTE) and "% match, from " + origin in close.tcomment

    # the disclaimer counts as translated only from a reviewed catalog
    for msgid, ctx in ((DISCLAIMER, None), ("Disclaimer", "disclaimer heading")):
        shared = entry(sleep, msgid, ctx)
        assert shared.msgstr == FATIGUE_ES[msgid]
        assert ("fuzzy" in shared.flags) is (review != "reviewed")
        assert shared.previous_msgid is None

    assert entry(sleep, SLEEP_INTRO).msgstr == ""  # nothing close enough
    assert msgfmt_check(po_path(root, "sleep")).returncode == 0


def test_translators_entries_are_never_overwritten(root: Path) -> None:
    shutil.copy(MEMORY / "sleep.md", root / "source")
    assert main(["--root", str(root), "update"]) == 0
    translate_fatigue(root, "reviewed")
    path = po_path(root, "sleep")
    po = polib.pofile(str(path), wrapwidth=79)
    mine = "Cuéntele a su equipo de atención si tiene síntomas nuevos."
    po.find(CARE_TEAM).msgstr = mine
    po.find(MORE_INFO).msgstr = "Más información: Sociedad Americana contra el Cáncer."
    po.find(MORE_INFO).flags.append("fuzzy")  # a translator's draft, fuzzy
    po.save(str(path))
    assert main(["--root", str(root), "update"]) == 0
    sleep = read_po(path)
    assert entry(sleep, CARE_TEAM).msgstr == mine
    assert not from_memory(entry(sleep, CARE_TEAM))
    draft = entry(sleep, MORE_INFO)
    assert draft.msgstr.startswith("Más información:") and draft.tcomment == ""
    assert entry(sleep, DISCLAIMER).msgstr == FATIGUE_ES[DISCLAIMER]  # the empty ones are filled


def test_update_is_idempotent_and_gnu_msgmerge_accepts_it(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(root), "update"]) == 0
    translate_fatigue(root, "draft")
    capsys.readouterr()
    sleep = add_sleep(root)
    filled = sum(1 for e in sleep if from_memory(e))
    assert f"\n{filled} empty entries filled from translation memory" in capsys.readouterr().out
    before = {p: p.read_bytes() for p in (root / "locales").rglob("*.po")}
    assert main(["--root", str(root), "update"]) == 0
    assert capsys.readouterr().out.endswith("0 file(s) updated, 6 unchanged.\n")
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*.po")} == before
    path = po_path(root, "sleep")
    merged = path.with_name("msgmerge.po")
    subprocess.run(
        [
            "msgmerge",
            "--quiet",
            "--previous",
            "-o",
            str(merged),
            str(path),
            str(root / "locales" / "sleep.pot"),
        ],
        check=True,
    )
    assert merged.read_text() == path.read_text()
    assert msgfmt_check(path).returncode == 0


def test_status_counts_entries_from_memory(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "update"]) == 0
    translate_fatigue(root, "reviewed")
    sleep = add_sleep(root)
    filled = sum(1 for e in sleep if from_memory(e))
    assert filled >= 5
    capsys.readouterr()
    assert main(["--root", str(root), "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["locales"]["es"]["from_memory"] == filled
    assert data["locales"]["es"]["domains"]["sleep"]["from_memory"] == filled
    assert data["locales"]["es"]["domains"]["fatigue"]["from_memory"] == 0
    assert main(["--root", str(root), "status"]) == 0
    table = capsys.readouterr().out
    assert "memory" in table.splitlines()[0]
    row = next(line for line in table.splitlines() if " sleep " in line)
    assert row.split()[6] == str(filled)


def write_compendium(path: Path, language: str, entries: dict[str, str]) -> None:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": language,
    }
    for msgid, msgstr in entries.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def test_compendium_fills_a_new_language(root: Path) -> None:
    shutil.copy(MEMORY / "sleep.md", root / "source")
    write_compendium(
        root / "memory" / "fr.po",
        "fr",
        {
            SLEEP_INTRO: "Bien dormir aide le corps à guérir. Beaucoup de personnes dorment mal pendant et après le traitement."
        },
    )
    write_compendium(
        root / "memory" / "es.po", "es", {CARE_TEAM: "Hable con su equipo de atención."}
    )
    (root / "carepack.toml").write_text(
        'source_language = "en"\nlocales = ["es", "fr"]\n\n[memory]\n'
        'compendia = ["memory/fr.po", "memory/es.po"]\nsimilarity = 0.8\n'
    )
    assert main(["--root", str(root), "update"]) == 0
    fr = read_po(po_path(root, "sleep", "fr"))
    intro = entry(fr, SLEEP_INTRO)
    assert intro.msgstr.startswith("Bien dormir") and "fuzzy" not in intro.flags
    assert intro.tcomment == f"{MEMORY_NOTE}exact match, from memory/fr.po"
    for doc in ("fatigue", "sleep"):  # a compendium serves every document of its language
        assert (
            entry(read_po(po_path(root, doc)), CARE_TEAM).msgstr
            == "Hable con su equipo de atención."
        )
    assert entry(read_po(po_path(root, "fatigue", "fr")), CARE_TEAM).msgstr == ""


def test_project_catalogs_come_before_compendia(root: Path) -> None:
    write_compendium(root / "memory" / "es.po", "es", {CARE_TEAM: "Compendium text."})
    (root / "carepack.toml").write_text(
        'source_language = "en"\nlocales = ["es"]\n[memory]\ncompendia = ["memory/es.po"]\n'
    )
    assert main(["--root", str(root), "update"]) == 0
    path = po_path(root, "fatigue")
    po = polib.pofile(str(path), wrapwidth=79)
    po.find(CARE_TEAM).msgstr = ""  # empty again: the compendium filled it
    po.save(str(path))
    translate_fatigue(root, "draft")
    sleep = add_sleep(root)
    assert entry(sleep, CARE_TEAM).msgstr == FATIGUE_ES[CARE_TEAM]


def test_unreadable_compendium_is_an_error_naming_it(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "memory").mkdir()
    (root / "memory" / "broken.po").write_text('msgid "a"\nmsgstr "b\n')
    write_compendium(root / "memory" / "nolang.po", "", {CARE_TEAM: "x"})
    (root / "carepack.toml").write_text(
        'source_language = "en"\nlocales = ["es"]\n[memory]\n'
        'compendia = ["memory/broken.po", "memory/missing.po", "memory/nolang.po"]\n'
    )
    code = main(["--root", str(root), "update"])
    err = capsys.readouterr().err
    assert code == PoFileError.exit_code
    assert re.search(r"error: memory/broken\.po:\d+: compendium not used: .*end-of-line", err)
    assert "error: memory/missing.po: compendium not used: file not found" in err
    assert (
        "error: memory/nolang.po:1: compendium not used: a compendium needs a Language header"
        in err
    )
    assert po_path(root, "fatigue").exists()  # the catalogs were still updated


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("similarity = 0.3", "memory.similarity: must be between 0.5 and 1"),
        ("compendia = 'x.po'", "memory.compendia: must be a list of PO file paths"),
        ("recall = 1", "memory.recall: unknown setting"),
    ],
)
def test_memory_settings_are_checked(
    root: Path, setting: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "carepack.toml").write_text(f'locales = ["es"]\n\n[memory]\n{setting}\n')
    assert main(["--root", str(root), "status"]) == ConfigError.exit_code
    err = capsys.readouterr().err
    assert message in err and "carepack.toml:4" in err


def test_fixtures_share_sentences() -> None:
    fatigue, sleep = ((MEMORY / f"{name}.md").read_text() for name in ("fatigue", "sleep"))
    for shared in (CARE_TEAM, DISCLAIMER, "## What You Can Do"):
        assert shared in fatigue and shared in sleep
    assert MORE_INFO in sleep and MORE_INFO not in fatigue


def test_a_changed_compendium_is_read_again(root: Path) -> None:
    write_compendium(root / "shared.po", "es", {"Unrelated.": "Sin relación."})
    (root / "carepack.toml").write_text(
        'source_language = "en"\nlocales = ["es"]\n[memory]\ncompendia = ["shared.po"]\n'
    )
    assert main(["--root", str(root), "update"]) == 0
    assert entry(read_po(po_path(root, "fatigue")), CARE_TEAM).msgstr == ""
    write_compendium(root / "shared.po", "es", {CARE_TEAM: "Hable con su equipo."})
    assert main(["--root", str(root), "update"]) == 0
    assert entry(read_po(po_path(root, "fatigue")), CARE_TEAM).msgstr == "Hable con su equipo."


def test_catalogs_created_for_a_new_document_are_filled_too(root: Path) -> None:
    assert main(["--root", str(root), "update"]) == 0
    translate_fatigue(root, "reviewed")
    shutil.copy(MEMORY / "sleep.md", root / "source")
    project = Project(load_config(root))
    outcome = project.create_missing()
    assert po_path(root, "sleep") in outcome.written and not outcome.errors
    sleep = read_po(po_path(root, "sleep"))
    assert entry(sleep, CARE_TEAM).msgstr == FATIGUE_ES[CARE_TEAM]
    assert "fuzzy" not in entry(sleep, DISCLAIMER).flags  # from a reviewed catalog


def test_close_match_is_found_among_many_entries() -> None:
    """The n-gram shortlist finds the one close sentence among hundreds of others."""
    words = [
        "the",
        "your",
        "care",
        "team",
        "may",
        "help",
        "pain",
        "sleep",
        "food",
        "rest",
        "walk",
        "energy",
        "cancer",
        "test",
        "day",
    ]
    other = polib.POFile()
    other.metadata = {"X-Review-Status": "reviewed"}
    for number in range(600):
        text = " ".join(words[(number * 7 + k * 3) % len(words)] for k in range(12))
        other.append(polib.POEntry(msgid=f"{number}: {text}.", msgstr=f"t{number}"))
    other.append(
        polib.POEntry(msgid=MORE_INFO.replace("Society.", "Society or a nurse."), msgstr="¡Sí!")
    )
    memory = memory_of([("a", "a.po", other)])
    new = polib.POFile()
    new.append(polib.POEntry(msgid=MORE_INFO, msgstr=""))
    assert fill_from_memory(new, memory, "b", 0.6) == 1
    assert new[0].msgstr == "¡Sí!" and new[0].flags == ["fuzzy"]
    assert new[0].previous_msgid.endswith("or a nurse.")
    assert fill_from_memory(new, memory, "a", 0.6) == 0  # never from its own document
