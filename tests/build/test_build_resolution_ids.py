"""One document, one ``resolution_id`` across the corpus, even when only some articles name the
place of a local issuer (``TU`` is unique only with its province)."""

from __future__ import annotations

import json
from pathlib import Path

from kyanh_corpus.build import build
from kyanh_corpus.load import load_resolutions
from support.paths import SEED

PLACED_PAGE = "\n\n".join(
    [
        "(Baohatinh.vn) - Các chi bộ ở Kỳ Anh rà soát việc đánh giá chất lượng sinh hoạt.",
        "Chi bộ Kỳ Anh rà soát chất lượng sinh hoạt",
        "Các chi bộ ở Kỳ Anh rà soát việc đánh giá chất lượng sinh hoạt.",
        "Thực hiện Quy định 1193-QĐ/TU ngày 5/12/2019 của BTV Tỉnh ủy Hà Tĩnh về đánh giá "
        "việc sinh hoạt chi bộ, các chi bộ đã tự đánh giá.",
        "Nhiều chi bộ đổi mới nội dung sinh hoạt theo hướng thiết thực.",
        "Hoài Thương",
    ]
)

OTHER_PLACE_PAGE = PLACED_PAGE.replace("Hà Tĩnh", "Nghệ An").replace("Kỳ Anh", "Nghi Lộc")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unplaced_id_merges_into_the_one_placed_id(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    _write(raw, "100_placed.txt", PLACED_PAGE)
    result = build([raw], tmp_path / "out")
    assert result.written
    by_code = {r.code: r for r in load_resolutions(tmp_path / "out")}
    merged = by_code["1193-QĐ/TU"]
    assert merged.resolution_id == "1193-qd-tu-ha-tinh-2019"
    assert len({m.article_id for m in merged.mentions}) == 2
    assert len(merged.mentions) == 2
    assert merged.issued_on is not None and merged.issued_on.isoformat() == "2019-12-05"
    # the two articles name the issuer "BTV Tỉnh ủy" and "BTV Tỉnh ủy Hà Tĩnh": the same body,
    # the second with its place, so the fuller name is the document's issuer (no conflict)
    assert merged.issuer == "BTV Tỉnh ủy Hà Tĩnh"
    assert [m.issuer for m in merged.mentions] == ["BTV Tỉnh ủy", "BTV Tỉnh ủy Hà Tĩnh"]
    ids = [r.resolution_id for r in load_resolutions(tmp_path / "out")]
    assert "1193-qd-tu-2019" not in ids
    assert len(ids) == len(set(ids)) == 3


def test_two_places_keep_the_unplaced_id_apart(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / SEED.name).write_bytes(SEED.read_bytes())
    _write(raw, "100_placed.txt", PLACED_PAGE)
    _write(raw, "101_other.txt", OTHER_PLACE_PAGE)
    result = build([raw], tmp_path / "out")
    assert result.written and result.ambiguous_documents == 1
    ids = sorted(
        r.resolution_id for r in load_resolutions(tmp_path / "out") if r.code == "1193-QĐ/TU"
    )
    assert ids == ["1193-qd-tu-2019", "1193-qd-tu-ha-tinh-2019", "1193-qd-tu-nghe-an-2019"]
    report = json.loads((tmp_path / "out" / "build_report.json").read_text("utf-8"))
    assert report["ambiguous_documents"] == [
        {
            "resolution_id": "1193-qd-tu-2019",
            "candidates": ["1193-qd-tu-ha-tinh-2019", "1193-qd-tu-nghe-an-2019"],
        }
    ]
