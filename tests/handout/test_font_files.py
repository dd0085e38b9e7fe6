"""The handout's PDF fonts are subset from a view of each font file, not a copy of it
(:mod:`pipeline.handout.font_files`): the same PDF byte for byte as WeasyPrint's own,
with far less memory for the Chinese handout's CJK collections."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ..conftest import in_a_new_interpreter

# A page in the handout's families: Chinese in the regular and bold CJK faces, Latin,
# Arabic (right to left), and digits, as a handout has them.
PAGE = """<!DOCTYPE html><html lang="zh-Hans"><head><style>
body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC"; }
</style></head><body>
<h1>多发性骨髓瘤的二线治疗</h1>
<p>如果您的骨髓瘤在第一次治疗后复发，您和您的医生有很多选择。请拨打 1-800-422-6237。</p>
<p><strong>重要：</strong>本资料不能代替医生的建议。</p>
<p lang="en">Second-line treatment for multiple myeloma: call 911 in an emergency.</p>
<p lang="ar" dir="rtl">العلاج من الخط الثاني للورم النقوي المتعدد</p>
</body></html>"""

SCRIPT = """
import json, re, sys

def peak_mib():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024

mode, full_fonts, page, out = sys.argv[1], sys.argv[2] == "full", sys.argv[3], sys.argv[4]
if mode == "share":
    from pipeline.handout.library import load_weasyprint
    weasyprint = load_weasyprint()
else:  # WeasyPrint as it comes
    import weasyprint
    import weasyprint.pdf.fonts
    assert not hasattr(weasyprint.pdf.fonts.Font, "_carepack_shares_font_files")
before = peak_mib()
document = weasyprint.HTML(string=open(page, encoding="utf-8").read()).render()
pdf = document.write_pdf(pdf_variant="pdf/ua-1", full_fonts=full_fonts)
open(out, "wb").write(pdf)
print(json.dumps({"before": before, "after": peak_mib(), "size": len(pdf)}))
"""


def _render(tmp_path: Path, mode: str, fonts: str) -> tuple[bytes, dict[str, float]]:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / f"{mode}-{fonts}.pdf"
    done = in_a_new_interpreter(SCRIPT, mode, fonts, str(page), str(out))
    assert done.returncode == 0, done.stderr
    return out.read_bytes(), json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("fonts", ["subset", "full"])
def test_the_pdf_is_weasyprints_own_byte_for_byte(tmp_path: Path, fonts: str) -> None:
    """Subset (the handout's way), and with every font whole (``full_fonts``: no
    subset, so the view is copied before WeasyPrint writes it)."""
    shared, _ = _render(tmp_path, "share", fonts)
    copied, _ = _render(tmp_path, "copy", fonts)
    assert shared == copied
    pdf = tmp_path / "shared.pdf"
    pdf.write_bytes(shared)
    listed = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    for face in ("Noto-Sans-CJK-SC-Bold", "Noto-Sans-CJK-SC", "Noto-Sans-Arabic"):
        assert face in listed, listed  # the CJK faces are in it, as in a Chinese handout


def test_the_cjk_collections_are_not_copied(tmp_path: Path) -> None:
    """Noto Sans CJK's regular and bold collections are 19.5 and 20 MB: WeasyPrint's
    copies of them are most of what writing the PDF adds to the process's peak."""
    _, shared = _render(tmp_path, "share", "subset")
    _, copied = _render(tmp_path, "copy", "subset")
    added_shared = shared["after"] - shared["before"]
    added_copied = copied["after"] - copied["before"]
    assert added_copied - added_shared > 30, (added_shared, added_copied)


def test_adapted_once() -> None:
    done = in_a_new_interpreter(
        "from pipeline.handout.library import load_weasyprint\n"
        "from pipeline.handout.font_files import share_font_files\n"
        "import weasyprint.pdf.fonts as fonts\n"
        "load_weasyprint()\n"
        "init, subset, data = fonts.Font.__init__, fonts.Font.subset, fonts.get_hb_object_data\n"
        "share_font_files(fonts); load_weasyprint()\n"
        "assert (fonts.Font.__init__, fonts.Font.subset, fonts.get_hb_object_data) == "
        "(init, subset, data)\n"
        "print('ok')\n"
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
