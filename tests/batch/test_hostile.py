"""Hostile input: every input becomes exactly one record or one error line with a stable code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.batch import BatchOptions, run_batch
from pipeline.cli import app
from pipeline.runner import Extractor
from tests.batch.conftest import Outputs, read_bytes

HEADER = "<!--1609459200000-->\n[{}](https://www.example.com/a/1.html)\n------\n\n"
BODY = "<p>美国国务院发言人说，奥斯汀周四抵达台湾。</p><br><hr><div>获取更多RSS：https://feedx.net</div>"
MAX_BYTES = 200_000
RECORD = "record"

#: file name → expected outcome (an error code, or a record whose text holds the substring).
EXPECTED: dict[str, tuple[str, str]] = {
    "a_ok.txt": (RECORD, "奥斯汀周四抵达台湾"),
    "b_empty.txt": ("empty", ""),
    "c_blank.txt": ("empty", ""),
    "d_binary.txt": ("binary", ""),
    "e_nul.txt": (RECORD, "中间"),
    "f_truncated.txt": (RECORD, "美国国务院说"),
    "g_noheader.txt": ("bad_header", ""),
    "h_gb18030.txt": (RECORD, "国务院总理在北京会见外宾"),
    "i_big5.txt": (RECORD, "總統府發言人今天表示"),
    "j_nested.txt": (RECORD, "奥斯汀在台湾"),
    "k_entities.txt": (RECORD, "美国 国务院、台湾<b>"),
    "l_too_large.txt": ("too_large", ""),
    "m_header_only.txt": (RECORD, "只有标题"),
    "n_loop.txt": ("symlink_loop", ""),
    "o_dangling.txt": ("not_found", ""),
    "p_fifo.txt": ("unreadable", ""),
    "q_dirlink": ("symlink_loop", ""),
    "r_bad_bytes.txt": ("bad_encoding", ""),
    "s_bad_epoch.txt": ("bad_header", ""),
    "t_utf16.txt": (RECORD, "奥斯汀周四抵达台湾"),
    "u_bom_crlf.txt": (RECORD, "奥斯汀周四抵达台湾"),
    "v_\\xffname.txt": (RECORD, "奥斯汀周四抵达台湾"),
}


def make_hostile(root: Path) -> Path:
    """One file (or link, FIFO, folder) per hostile case of EXPECTED, plus a skipped .md."""
    root.mkdir(parents=True)

    def write(name: str, data: bytes) -> None:
        (root / name).write_bytes(data)

    article = (HEADER.format("正常标题") + BODY).encode()
    write("a_ok.txt", article)
    write("b_empty.txt", b"")
    write("c_blank.txt", b" \n\n \t\r\n")
    write("d_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x10\x00\x00\xff" * 2000)
    write("e_nul.txt", (HEADER.format("含NUL") + "<p>文字\x00中间\x00有空字节</p>").encode())
    write("f_truncated.txt", (HEADER.format("截断") + "<p>美国国务院说<div><span cla").encode())
    write("g_noheader.txt", "没有头部的文章\n第二行\n第三行\n".encode())
    gb = (
        HEADER.format("简体标题：北京消息")
        + "<p>新华社北京1月1日电，国务院总理在北京会见外宾。</p>"
    )
    write("h_gb18030.txt", gb.encode("gb18030"))
    big5 = (
        HEADER.format("繁體標題：臺北報導")
        + "<p>中央社臺北電，總統府發言人今天表示，將與美國合作。</p>"
    )
    write("i_big5.txt", big5.encode("big5"))
    nested = "<div>" * 10_000 + "<p>奥斯汀在台湾</p>" + "</div>" * 10_000
    write("j_nested.txt", (HEADER.format("深层嵌套") + nested).encode())
    ents = "<script>var x='<p>脚本</p>';</script><p>美国&nbsp;国务院&#x3001;台湾&lt;b&gt;</p>"
    write("k_entities.txt", (HEADER.format("实体&amp;amp;脚本") + ents).encode())
    write("l_too_large.txt", (HEADER.format("大") + "<p>" + "大" * MAX_BYTES + "</p>").encode())
    write("m_header_only.txt", HEADER.format("只有标题").encode())
    os.symlink("n_loop.txt", root / "n_loop.txt")
    os.symlink("no_such_target.txt", root / "o_dangling.txt")
    os.mkfifo(root / "p_fifo.txt")
    os.symlink(".", root / "q_dirlink")
    write("r_bad_bytes.txt", HEADER.format("坏字节").encode() + b"\x81\xfe\xfe\x81\x80" * 30)
    write("s_bad_epoch.txt", ("<!--9999999999999999-->\n[t](u)\n------\n\n" + BODY).encode())
    write("t_utf16.txt", (HEADER.format("UTF16") + BODY).encode("utf-16"))
    write(
        "u_bom_crlf.txt",
        b"\xef\xbb\xbf" + (HEADER.format("BOM") + BODY).replace("\n", "\r\n").encode(),
    )
    with open(os.path.join(os.fsencode(root), b"v_\xffname.txt"), "wb") as f:
        f.write(article)  # a file name that is not UTF-8
    write("w_notes.md", b"not an article: skipped by the glob")
    return root


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return make_hostile(tmp_path / "hostile")


def _outcomes(out: Path, errors: Path) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for line in out.read_text("utf-8").splitlines():
        rec = json.loads(line)
        name = Path(rec["source"]).name
        assert name not in found
        found[name] = (RECORD, rec["text"])
        for m in rec["mentions"]:
            assert rec["text"][m["start"] : m["end"]] == m["text"]
    for line in errors.read_text("utf-8").splitlines():
        err = json.loads(line)
        name = Path(err["source"]).name
        assert name not in found
        assert err["message"]
        found[name] = (err["error"], "")
    return found


def test_every_hostile_input_is_accounted_for_with_a_stable_code(
    hostile: Path, model_dir: str, test_extractor: Extractor, outputs: Outputs
) -> None:
    one = outputs("one")
    summary = run_batch(
        [hostile],
        BatchOptions(out=one[0], errors=one[1], max_bytes=MAX_BYTES),
        extractor=test_extractor,
    )
    found = _outcomes(*one)
    assert set(found) == set(EXPECTED)  # 100% of inputs, each exactly once
    for name, (code, text) in EXPECTED.items():
        assert found[name][0] == code, name
        assert text in found[name][1], name
    assert summary.files == len(EXPECTED) and summary.skipped == 1
    assert "脚本" not in found["k_entities.txt"][1].split("\n", 1)[1]  # script content dropped
    # The same hostile batch on two worker processes: same bytes.
    two = outputs("two")
    run_batch(
        [hostile],
        BatchOptions(
            out=two[0], errors=two[1], model=model_dir, workers=2, max_bytes=MAX_BYTES, chunk_size=5
        ),
    )
    assert read_bytes(two) == read_bytes(one)


def test_cli_on_hostile_input_exit_1_no_traceback(
    hostile: Path, model_dir: str, outputs: Outputs
) -> None:
    out, err = outputs("cli")
    args = ["run", str(hostile), "--out", str(out), "--errors", str(err), "--model", model_dir]
    args += ["-j", "1", "--max-bytes", str(MAX_BYTES)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert f"files {len(EXPECTED)}, records 11, errors 11" in result.stderr
    assert "symlink_loop: 2" in result.stderr and "skipped 1" in result.stderr
    quiet = CliRunner().invoke(app, [*args, "--overwrite", "-q"])
    assert quiet.exit_code == 1 and quiet.stderr == ""


def test_glob_takes_other_files(hostile: Path, test_extractor: Extractor, outputs: Outputs) -> None:
    out, err = outputs("glob")
    summary = run_batch(
        [hostile], BatchOptions(out=out, errors=err, glob="*.md"), extractor=test_extractor
    )
    assert (summary.files, summary.errors, summary.skipped) == (2, 2, 21)  # the .md, the dir link


def test_salvaged_files_become_records_with_warnings(
    tmp_path: Path, test_extractor: Extractor, outputs: Outputs
) -> None:
    """A cut UTF-8 file and a NUL run are records that say what was repaired."""
    root = tmp_path / "salvage"
    root.mkdir()
    text = (
        HEADER.format("截断的文件") + "<p>美国国务院发言人说，奥斯汀周四抵达台湾。</p>"
    ).encode()
    (root / "cut.txt").write_bytes(text + "说".encode()[:2])
    head, tail = text.split(b"<p>")
    (root / "nul.txt").write_bytes(head + b"\x00" * 64 + b"<p>" + tail)
    (root / "gb.txt").write_bytes(
        (
            HEADER.format("简体标题") + "<p>新华社北京1月1日电，国务院总理在北京会见外宾。</p>"
        ).encode("gb18030")
    )
    (root / "png.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x10\x00\x00\xff" * 400)
    out, err = outputs("salvage")
    run_batch([root], BatchOptions(out=out, errors=err), extractor=test_extractor)
    records = {
        Path(r["source"]).name: r for r in map(json.loads, out.read_text("utf-8").splitlines())
    }
    errors = [json.loads(line) for line in err.read_text("utf-8").splitlines()]
    assert [(Path(e["source"]).name, e["error"]) for e in errors] == [("png.txt", "binary")]
    codes = {name: [w["code"] for w in r["warnings"]] for name, r in records.items()}
    assert codes == {
        "cut.txt": ["truncated"],
        "nul.txt": ["nul_bytes"],
        "gb.txt": ["decoded_as_gb18030"],
    }
    assert "奥斯汀周四抵达台湾" in records["cut.txt"]["text"]
    assert "奥斯汀周四抵达台湾" in records["nul.txt"]["text"]
    for r in records.values():
        assert [b["kind"] for b in r["blocks"]] == ["title", "paragraph"]
