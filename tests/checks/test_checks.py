"""Entry checks: each check with a failing and a passing case, a fixture catalog whose
findings must land on the right lines, and the shipped catalogs, which must pass."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from pipeline.catalogs.catalog import DISCLAIMER_NOTE
from pipeline.catalogs.catalog import is_disclaimer_entry as is_disclaimer
from pipeline.catalogs.pofile import read_po
from pipeline.checks.findings import (
    Finding,
    check_catalog,
    check_entries,
    findings_json,
    render_findings,
)
from pipeline.checks.rules import CHECKERS, make_context
from pipeline.config import load_config
from pipeline.locales import parse_locale

from ..conftest import DATA, ROOT

DISCLAIMER_COMMENT = f"Role: disclaimer paragraph. Id: disclaimer.p1\n{DISCLAIMER_NOTE}"
FIXTURE = DATA / "checks" / "es-broken.po"


def run(
    msgid: str,
    msgstr: str = "",
    locale: str = "es",
    domain: str = "doc",
    **fields: object,
) -> list[Finding]:
    """The findings for one entry built here."""
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, **fields)
    entry.linenum = 7
    return check_entries([entry], Path("x.po"), make_context(parse_locale(locale), domain))


def names(findings: list[Finding]) -> set[str]:
    return {f.check for f in findings}


# (check, severity, locale, domain, msgid, failing msgstr, passing msgstr)
CASES = [
    (
        "numbers",
        "error",
        "es",
        "doc",
        "Take 2 tablets of 1,500 mg every 8.5 hours.",
        "Tome 3 comprimidos de 1.500 mg cada 8,5 horas.",
        "Tome 2 comprimidos de 1.500 mg cada 8,5 horas.",
    ),
    (
        "numbers",
        "error",
        "ar",
        "doc",
        "Take 2 tablets of 1,500 mg every 8.5 hours.",
        "تناول ٢ من الأقراص، ١٬٥٠٠ ملغ لكل منها، كل ٨ ساعات.",
        "تناول ٢ من الأقراص، ١٬٥٠٠ ملغ لكل منها، كل ٨٫٥ ساعات.",
    ),
    (
        "numbers",
        "error",
        "fr",
        "doc",
        "Take 2 tablets of 1,500 mg every 8.5 hours.",
        "Prenez 2 comprimés de 1,500 mg toutes les 8,5 heures.",
        "Prenez 2 comprimés de 1\u202f500 mg toutes les 8,5 heures.",
    ),
    (
        "numbers",
        "error",
        "zh_Hans",
        "doc",
        "Take 2 tablets of 1,500 mg every 8.5 hours.",
        "每 8 小时服用 2 片，每片 1,500 毫克。",
        "每 8.5 小时服用 2 片，每片 1,500 毫克。",
    ),
    (
        "links",
        "error",
        "es",
        "doc",
        "Read [the guide](https://www.cancer.org/myeloma) or call tel:+18002272345 today.",
        "Lea [la guía](https://www.cancer.org/es) o llame a tel:+18002272345 hoy.",
        "Lea [la guía](https://www.cancer.org/myeloma) o llame hoy a tel:+18002272345.",
    ),
    (
        "emails",
        "error",
        "zh_Hans",
        "doc",
        "Write to help@cancer.org with your questions.",
        "如有问题，请写信至 ayuda@cancer.org。",
        "如有问题，请写信至 help@cancer.org。",
    ),
    (
        "unsafe-link",
        "error",
        "es",
        "doc",
        "Read [the guide](https://www.cancer.org) before your visit.",
        "Lea [la guía](javascript:alert(1)) antes de su visita.",
        "Lea [la guía](https://www.cancer.org) antes de su visita.",
    ),
    (
        "html",
        "error",
        "es",
        "doc",
        "Call your nurse if the pain gets worse.",
        "Llame a su enfermera <script>x()</script> si el dolor empeora.",
        "Llame a su enfermera si el dolor empeora (dolor > antes).",
    ),
    (
        "markdown",
        "error",
        "es",
        "doc",
        "Take **two** tablets with a *full* glass of water.",
        "Tome **dos* comprimidos con un vaso *lleno* de agua.",
        "Tome **dos** comprimidos con un vaso *lleno* de agua.",
    ),
    (
        # CommonMark's flanking rules: bold next to a quotation mark and a letter is not
        # bold at all, exactly what the page's parser would show.
        "markdown",
        "error",
        "zh_Hans",
        "doc",
        "Take **two tablets** with water.",
        "用水服用**“两片”**药。",
        "用水服用**两片**。",
    ),
    (
        "placeholders",
        "error",
        "es",
        "ui",
        "Last reviewed on {date}",
        "Revisado por última vez el {fecha}",
        "Revisado por última vez el {date}",
    ),
    (
        "placeholders",
        "error",
        "es",
        "ui",
        "Last reviewed on {date}",
        "Revisado por última vez el {date",
        "Revisado el {date}",
    ),
    (
        "whitespace",
        "error",
        "es",
        "ui",
        "Note: ",
        "Nota:",
        "Nota: ",
    ),
    (
        # Full-width punctuation takes the place of the space (translate-toolkit knows).
        "whitespace",
        "error",
        "zh_Hans",
        "ui",
        " Note:",
        "注意：",
        " 注意：",
    ),
    (
        "identical",
        "warning",
        "fr",
        "doc",
        "Talk to your doctor about your care.",
        "Talk to your doctor about your care.",
        "Parlez de vos soins à votre médecin.",
    ),
    (
        "length",
        "warning",
        "es",
        "doc",
        "It is important to seek the help of licensed healthcare professionals.",
        "Pida ayuda.",
        "Es importante buscar la ayuda de profesionales de la salud autorizados.",
    ),
    (
        "length",
        "warning",
        "zh_Hans",
        "doc",
        "It is important to seek the help of licensed healthcare professionals.",
        "必要时，务必向持有执照、具备专业知识的医疗专业人员寻求帮助。"
        "必要时，务必向持有执照、具备专业知识的医疗专业人员寻求帮助。"
        "必要时，务必向持有执照、具备专业知识的医疗专业人员寻求帮助。",
        "必要时，务必向持有执照的医疗专业人员寻求帮助。",
    ),
]


@pytest.mark.parametrize(
    ("check", "severity", "locale", "domain", "msgid", "bad", "good"),
    CASES,
    ids=[f"{case[0]}-{case[2]}-{i}" for i, case in enumerate(CASES)],
)
def test_check_fails_and_passes(
    check: str, severity: str, locale: str, domain: str, msgid: str, bad: str, good: str
) -> None:
    failing = run(msgid, bad, locale, domain)
    matching = [f for f in failing if f.check == check]
    assert matching, f"{check} not reported for {bad!r}: {failing}"
    assert {f.severity for f in matching} == {severity}
    assert all(f.locale == locale and f.line == 7 and f.msgid == msgid for f in matching)
    assert run(msgid, good, locale, domain) == []


def test_numbers_message_names_both_numbers() -> None:
    (finding,) = run("Call 911 now.", "Llame al 912 ahora.")
    assert "'911'" in finding.message and "'912'" in finding.message


def test_unsafe_link_relative_and_data_image() -> None:
    findings = run(
        "See ![chart](https://a.org/c.png).", "Vea ![gráfico](data:image/png;base64,AAAA)."
    )
    assert "unsafe-link" in names(findings)
    findings = run("See [this page](https://a.org/p).", "Vea [esta página](p.html).")
    assert any("relative" in f.message for f in findings if f.check == "unsafe-link")


def test_plural_placeholders_every_form() -> None:
    """Arabic has six forms; those used for a single number (0, 1, 2) may say it in words."""
    fields = {
        "msgid_plural": "{count} minutes of audio",
        "flags": ["python-brace-format"],
    }
    good = {
        0: "لا دقائق",
        1: "دقيقة واحدة",
        2: "دقيقتان",
        3: "{count} دقائق",
        4: "{count} دقيقة",
        5: "{count} دقيقة",
    }
    assert (
        run("{count} minute of audio", locale="ar", domain="ui", msgstr_plural=good, **fields) == []
    )
    bad = {**good, 2: "دقيقتان {}", 4: "دقيقة", 5: "{count} {minutes}"}
    findings = run("{count} minute of audio", locale="ar", domain="ui", msgstr_plural=bad, **fields)
    assert [(f.check, f.message.split(":")[0]) for f in findings] == [
        ("placeholders", "msgstr[2]"),
        ("placeholders", "msgstr[4]"),
        ("placeholders", "msgstr[5]"),
    ]


def test_identical_skips_codes_placeholders_and_single_words() -> None:
    for text in ("MP3", "{label}: {value}.", "Options", "https://www.cancer.org"):
        assert run(text, text, "fr") == [], text


def test_fuzzy_is_a_warning_and_an_error_on_the_disclaimer() -> None:
    plain = run("Call your doctor.", "Llame a su médico.", flags=["fuzzy"])
    assert [(f.check, f.severity) for f in plain] == [("fuzzy", "warning")]
    assert run("Call your doctor.", "Llame a su médico.") == []
    required = run("Not advice.", "No es consejo.", flags=["fuzzy"], comment=DISCLAIMER_COMMENT)
    assert [(f.check, f.severity) for f in required] == [("disclaimer-fuzzy", "error")]


def test_untranslated_disclaimer_entry_is_an_error() -> None:
    missing = run("Not medical advice.", "", comment=DISCLAIMER_COMMENT)
    assert [(f.check, f.severity) for f in missing] == [("disclaimer-missing", "error")]
    assert run("Not medical advice.", "No es consejo médico.", comment=DISCLAIMER_COMMENT) == []
    assert run("Just text.", "") == []  # untranslated, not disclaimer: the gate counts it


def test_disclaimer_note_found_when_an_editor_rewraps_it() -> None:
    """polib (and other PO editors) re-wrap long ``#.`` comments at 78 columns."""
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Not medical advice.", msgstr="", comment=DISCLAIMER_COMMENT))
    rewrapped = polib.pofile(po.__unicode__())
    assert "\n" in rewrapped[0].comment.split("\n", 1)[1]  # the note is now on 3 lines
    assert is_disclaimer(rewrapped[0])
    findings = check_entries(rewrapped, Path("x.po"), make_context(parse_locale("es"), "doc"))
    assert [f.check for f in findings] == ["disclaimer-missing"]


def test_warnings_on_disclaimer_entries_become_errors() -> None:
    text = "This is not medical advice."
    (finding,) = run(text, text, comment=DISCLAIMER_COMMENT)
    assert (finding.check, finding.severity) == ("identical", "error")
    assert "disclaimer" in finding.message


def test_fixture_findings_land_on_their_entries() -> None:
    """Each entry of the fixture says which check must fire; polib's line is the entry's."""
    expected = []
    for number, line in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.fullmatch(r"# case: (\S+)", line)
        if match and match.group(1) != "none":
            expected.append((number, match.group(1)))
    po = read_po(FIXTURE, "es")
    findings = check_catalog(po, FIXTURE, parse_locale("es"), "doc")
    assert [(f.line, f.check) for f in findings] == expected
    assert all(f.path == FIXTURE and f.locale == "es" for f in findings)
    text = str(findings[0])
    assert text.startswith(f"{FIXTURE}:{expected[0][0]}: [es] error: numbers: ")
    assert "(msgid 'Drink 1,500 ml of water a day.')" in text


def test_render_and_json() -> None:
    po = read_po(FIXTURE, "es")
    findings = check_catalog(po, FIXTURE, parse_locale("es"), "doc")
    text = render_findings(findings, ["es", "fr"])
    assert "es (Spanish): 6 errors, 1 warning" in text
    assert "fr (French): no findings" in text
    assert all(str(f) in text for f in findings)
    data = json.loads(json.dumps(findings_json(findings, ["es", "fr"])))
    assert (data["errors"], data["warnings"]) == (6, 1)
    assert data["locales"]["fr"] == []
    first = data["locales"]["es"][0]
    assert first["check"] == "numbers" and first["file"] == FIXTURE.as_posix()
    assert first["line"] == findings[0].line


def test_every_checker_has_one_signature() -> None:
    ctx = make_context(parse_locale("es"), "doc")
    entry = polib.POEntry(msgid="Hello world again.", msgstr="Hola otra vez, mundo.")
    for checker in CHECKERS:
        assert list(checker(entry, ctx)) == [], checker.__name__


def test_shipped_catalogs_have_no_errors() -> None:
    """The shipped translations are complete and correct: no check may call them wrong."""
    config = load_config(ROOT)
    findings: list[Finding] = []
    read = 0
    for code in config.locales:
        for path in sorted((ROOT / "locales" / code / "LC_MESSAGES").glob("*.po")):
            po = read_po(path, code)
            read += 1
            findings += check_catalog(po, path.relative_to(ROOT), parse_locale(code), path.stem)
    print(render_findings(findings, config.locales))
    errors = [str(f) for f in findings if f.severity == "error"]
    assert errors == []
    assert read == 2 * len(config.locales)
