"""diff --format html and layout --format html: one self-contained page
that a standards-conforming parser (html5lib, strict) reads without error,
with each struct drawn old beside new per group of arches, macros token by
token, and nothing from a header ever read as markup. Where Chromium is
installed, the page is rendered: the filters run and the screenshot is not
blank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest

from uapicheck.cli import run
from support.harness import hdr, tree

SVG = "{http://www.w3.org/2000/svg}"
OLD = hdr("""#define OPEN_TREE_CLONE 1
#define EVIL "<script>alert(1)</script>" /* </script><b>comment</b> */
struct hole { __u32 a; __u64 b; };
struct ins { __u32 a; __u64 b; __u32 __reserved[2]; };
struct bits { __u32 x:3, y:5; __u8 z; };
struct arr { __u8 d[(3<4) + 1]; };
""")
NEW = hdr("""#define OPEN_TREE_CLONE (1 << 0)
#define EVIL "<script>alert(2)</script>" /* </script><b>comment</b> */
struct hole { __u32 a; __u64 b; __u32 c; };
struct ins { __u32 a; __u32 flags; __u64 b; __u32 __reserved[2]; };
struct bits { __u32 x:3, y:6; __u8 z; };
struct arr { __u8 d[(3<4) + 2]; };
""")
ARCHES = "x86_64,i386"


def parse(text: str) -> Element:
    """The page as html5lib reads it, failing on any parse error."""
    parser = html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    return parser.parse(text)


def classes(e: Element) -> set[str]:
    return set(e.get("class", "").split())


def text(e: Element) -> str:
    return "".join(e.itertext())


def block(page: Element, title: str) -> Element:
    found = [a for a in page.iter("article") if text(a.find("h3")) == title]  # type: ignore[arg-type]
    assert len(found) == 1, [text(a.find("h3")) for a in page.iter("article")]  # type: ignore[arg-type]
    return found[0]


def rows(b: Element) -> dict[str, list[Element]]:
    """A block's drawing: arch label to the cells (old, new) of its row."""
    grid = next(d for d in b.iter("div") if "lay" in classes(d))
    out: dict[str, list[Element]] = {}
    label = ""
    for cell in grid:
        if "ar" in classes(cell):
            label = text(cell)
            out[label] = []
        elif "side" in classes(cell):
            out[label].append(cell)
    return out


def foot(cell: Element) -> str:
    """The size, alignment and padding under a picture."""
    return text(next(p for p in cell.iter("p") if "foot" in classes(p)))


def boxes(cell: Element, cls: str) -> dict[str, str]:
    """The boxes drawn in cell that have class cls: their tooltip by their
    label (or by the tooltip itself where too narrow for a label)."""
    out = {}
    for g in cell.iter(SVG + "g"):
        if cls in classes(g):
            title = text(g.find(SVG + "title"))  # type: ignore[arg-type]
            label = g.find(SVG + "text")
            out[text(label) if label is not None else title] = title
    return out


@pytest.fixture
def trees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tree(tmp_path / "old", OLD)
    tree(tmp_path / "new", NEW)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def page(trees: Path) -> str:
    assert run(["diff", "old", "new", "--arch", ARCHES, "-q", "--format", "html", "-o", "report.html"]) == 1
    return (trees / "report.html").read_text()


def test_the_page_parses_and_is_self_contained(page: str) -> None:
    doc = parse(page)
    assert doc.find("head/title") is not None and doc.find("head/style") is not None
    assert [s.get("src") for s in doc.iter("script")] == [None]  # the one inline script
    assert not list(doc.iter("link")) and not list(doc.iter("img"))
    urls = [v for e in doc.iter() for k, v in e.attrib.items() if k in ("href", "src", "action")]
    assert urls and all(u.startswith("#") for u in urls)
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "") and "https://" not in page
    assert "@import" not in page and "url(#hatch)" in page  # the only url() is the page's own pattern


def test_summary_counts_and_findings_grouped_by_header(page: str) -> None:
    doc = parse(page)
    counts = {c.find("input").get("value"): text(c.find("b")) for c in doc.iter("label")  # type: ignore[union-attr]
              if "count" in classes(c)}
    findings = [li for li in doc.iter("li") if "f" in classes(li)]
    assert counts == {s: str(sum(li.get("data-s") == s for li in findings)) for s in ("error", "warning", "note")}
    assert [s.get("data-h") for s in doc.iter("section") if "hdr" in classes(s)] == ["linux/x.h"]
    rules = {o.get("value") for o in doc.iter("option")} - {""}
    assert rules == {li.get("data-r") for li in findings} and "UA205" in rules
    # each finding with its notes, as in the text format
    moved = next(li for li in block(doc, "struct ins").iter("li") if li.get("data-r") == "UA205")
    notes = [text(n) for n in moved.iter("li")]
    assert any(n.startswith("who breaks: ") for n in notes) and any(n.startswith("fix: ") for n in notes)
    assert "(on i386)" in text(moved)


def test_a_hole_is_shaded_and_what_grew_into_it_highlighted(page: str) -> None:
    drawn = rows(block(parse(page), "struct hole"))
    assert list(drawn) == ["x86_64", "i386"]  # the arches differ: a row each
    old64, new64 = drawn["x86_64"]
    assert boxes(old64, "hole") == {"4 bytes hole at offset 4": "4 bytes hole at offset 4"}
    assert boxes(new64, "add") == {"c": "__u32 c: offset 16, 4 bytes; added"}
    assert boxes(new64, "pad") == {"4 bytes padding at offset 20": "4 bytes padding at offset 20"}
    assert foot(old64) == "size 16 bytes, align 8; implicit padding: 4 bytes before 'b'"
    assert foot(new64) == "size 24 bytes, align 8; implicit padding: 4 bytes before 'b', 4 bytes at the end"
    old32, new32 = drawn["i386"]
    assert boxes(old32, "gap") == {} and foot(new32) == "size 16 bytes, align 4"  # __u64 is 4-aligned in structs


def test_an_i386_only_move_is_drawn_in_its_own_row(page: str) -> None:
    drawn = rows(block(parse(page), "struct ins"))
    assert list(drawn) == ["x86_64", "i386"]
    old64, new64 = drawn["x86_64"]
    assert boxes(new64, "mov") == {} and "flags" in boxes(new64, "add")  # into the hole: nothing moved
    old32, new32 = drawn["i386"]
    assert boxes(new32, "mov")["b"] == "__u64 b: offset 8, 8 bytes; moved from offset 4 to 8 (by +4 bytes)"
    assert boxes(old32, "mov")["b"].endswith("moved from offset 4 to 8 (by +4 bytes)")
    reserved = boxes(new32, "res")
    assert list(reserved) == ["__reserved"] and "reserved" in reserved["__reserved"]


def test_bit_fields_are_drawn_inside_their_storage_unit(page: str) -> None:
    drawn = rows(block(parse(page), "struct bits"))
    assert list(drawn) == ["all arches"]  # the same layout on both arches: one row
    old, new = drawn["all arches"]
    units = boxes(new, "unit")
    assert list(units) == ["storage unit 'unsigned int' at offset 0, 4 bytes"]
    fields = boxes(new, "bf")
    assert fields["x"] == "__u32 x:3: offset 0, 3 bits"
    assert fields["y"] == "__u32 y:6: offset 0:3, 6 bits; grew from 5 bits to 6 bits"
    unit = next(g for g in new.iter(SVG + "g") if "unit" in classes(g)).find(SVG + "rect")
    for g in new.iter(SVG + "g"):
        if "bf" in classes(g):
            r = g.find(SVG + "rect")
            assert r is not None and unit is not None
            assert int(unit.get("x", "")) <= int(r.get("x", "")) and \
                int(r.get("x", "")) + int(r.get("width", "")) <= int(unit.get("x", "")) + int(unit.get("width", ""))


def test_macro_tokens_that_differ_are_marked_with_their_values(page: str) -> None:
    b = block(parse(page), "OPEN_TREE_CLONE")
    old, new = (text(c) for c in b.iter("code"))
    assert (old, new) == ("#define OPEN_TREE_CLONE 1", "#define OPEN_TREE_CLONE (1 << 0)")
    marked = [[text(m) for m in c.iter("mark")] for c in b.iter("code")]
    assert marked == [[], ["(", "<<", "0", ")"]]
    assert [text(v) for v in b.iter("div") if "vals" in classes(v)] == ["C value 1 (int) · #if value 1"] * 2


def test_header_text_is_never_markup(page: str) -> None:
    doc = parse(page)
    assert len(list(doc.iter("script"))) == 1 and not [b for b in doc.iter("b") if text(b) == "comment"]
    b = block(doc, "EVIL")
    assert [text(c) for c in b.iter("code")] == ['#define EVIL "<script>alert(1)</script>"',
                                                 '#define EVIL "<script>alert(2)</script>"']
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # a member's type from the header reaches the SVG's tooltips escaped too
    (old, new), = rows(block(doc, "struct arr")).values()
    assert list(boxes(new, "grow").values()) == ["__u8[(3 < 4) + 2] d: offset 0, 3 bytes; grew from 2 bytes to 3 bytes"]
    assert "[(3 &lt; 4) + 2]" in page


def test_layout_page_groups_identical_arches(trees: Path) -> None:
    assert run(["layout", "struct hole", "new", "--arch", "x86_64,i386,aarch64", "--format", "html",
                "-o", "layout.html"]) == 0
    doc = parse((trees / "layout.html").read_text())
    drawn = rows(doc.find("body/main"))  # type: ignore[arg-type]
    assert list(drawn) == ["x86_64, aarch64", "i386"]
    assert [len(v) for v in drawn.values()] == [1, 1]
    assert "hole" in " ".join(boxes(drawn["x86_64, aarch64"][0], "gap"))


def test_same_input_same_bytes_whatever_the_hash_seed(trees: Path) -> None:
    pages = []
    for seed in ("1", "2"):
        out = trees / f"seed{seed}.html"
        subprocess.run([sys.executable, "-m", "uapicheck", "diff", "old", "new", "--arch", ARCHES, "-q", "--no-cache",
                        "--format", "html", "-o", str(out)], env={**os.environ, "PYTHONHASHSEED": seed})
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


CHROMIUM = shutil.which("chromium")


def chromium(*args: str) -> str:
    assert CHROMIUM
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_chromium_runs_the_filters(trees: Path, page: str) -> None:
    dom = parse(chromium("--dump-dom", f"file://{trees}/report.html#sev=error&rule=UA205"))
    items = [li for li in dom.iter("li") if "f" in classes(li)]
    shown = [li for li in items if li.get("hidden") is None]
    assert shown and {(li.get("data-s"), li.get("data-r")) for li in shown} == {("error", "UA205")}
    assert dom.find(".//span[@id='shown']").text == f"{len(shown)} of {len(items)} findings"  # type: ignore[union-attr]
    hidden = [a for a in dom.iter("article") if a.get("hidden") is not None]
    assert "OPEN_TREE_CLONE" in [text(a.find("h3")) for a in hidden]  # type: ignore[arg-type]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_chromium_renders_something(trees: Path, page: str) -> None:
    from PIL import Image

    chromium(f"--screenshot={trees}/shot.png", "--window-size=1200,900", f"file://{trees}/report.html")
    with Image.open(trees / "shot.png") as shot:
        colours = shot.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 50  # text, the severity colours, the drawings
    assert max(n for n, _ in colours) < 0.95 * 1200 * 900  # not one colour filling the page
