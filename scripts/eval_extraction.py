"""Field-level precision and recall of the extractor against the hand-written golden files.

Usage::

    python scripts/eval_extraction.py PAGES GOLD                 # tables on stdout
    python scripts/eval_extraction.py PAGES GOLD --json          # one JSON object on stdout
    python scripts/eval_extraction.py PAGES GOLD --markdown benchmarks/extraction.md
    python scripts/eval_extraction.py PAGES GOLD --details       # also every wrong check

For every ``GOLD/*.json`` (sorted by name; see tests/golden/README.md for the format) the page
named by its ``"file"`` is looked up as ``PAGES/<file>``, else as ``data/raw/<file>`` of this
repository (the seed), and extracted with :func:`kyanh_corpus.extract.extract_file` (its sidecar
included). A page the extractor refuses (:class:`~kyanh_corpus.extract.ExtractionError`, which
also covers a page that cannot be read and an extractor bug) is counted as *refused*: every check
of the page is wrong, and every fact the golden file states is a false negative. A JSON file in
GOLD that is not a golden file (unreadable, not an object, no ``"file"``) is skipped with a
warning on stderr.

What is scored (the *fields*), and how:

* ``codes``: the resolution codes of a page, matched exactly (a code printed twice by the
  extractor counts once as a true positive and once as a false positive). One check per code
  on either side: TP = extracted and golden, FP = extracted only, FN = golden only.
* ``doc_type_name``, ``issued_on``, ``issuer``, ``title``: facts of a document, compared on the
  documents matched by code. Nullable scoring: golden non-null and predicted equal -> TP;
  predicted non-null and golden null or different -> FP (an invented or wrong fact); golden
  non-null and predicted null or different -> FN. A wrong value is therefore both FP and FN; both
  null is a right check (TN) that counts in "checks right" but not in precision or recall. The
  facts of a golden document whose code was not extracted are FNs (one per non-null fact), and
  the facts of an extracted document that is not golden are FPs (one per non-null fact).
* ``genre``: one exact check per page; for precision and recall "interview" is the positive
  class (predicted interview on a news page = FP, predicted news on an interview page = FN).
* ``turn_count``: one exact check per page, scored as a nullable value where 0 turns is null
  (a news page with no turns extracted is a TN; turns on a page without any are an FP).
* ``role``, ``speaker_name``, ``speaker_title``: per interview turn, golden and extracted turns
  aligned by position (``turn_index``), nullable scoring as above. A golden turn with no
  extracted turn at its position gives an FN per non-null field, an extracted turn beyond the
  golden ones an FP per non-null field.

Precision = TP / (TP + FP), recall = TP / (TP + FN); with a zero denominator they are shown as
"–" (null in JSON). A check is *right* when it is a TP or a TN. *Invented facts* = the FPs on
``codes``, ``issued_on``, ``issuer`` and ``speaker_name``, the fields where precision matters
most (a wrong value there is an invented fact too).

Golden files may list ``"shapes": [tag, ...]``; every check of a page also counts under each of
its tags, and a page without tags counts under ``seed-like``.

Guarantees: the script only reads PAGES and GOLD and writes nothing but the ``--markdown`` file;
its output depends only on the golden files, the pages and the extractor (sorted inputs, no
timestamps, no absolute paths beyond those given on the command line), so two runs on the same
checkout print the same bytes. ``--json`` prints one object with the stable keys ``fields``
(``{field: {tp, fp, fn, precision, recall, checks, right}}``), ``total``, ``shapes``
(``{tag: {field: {...}}}``), ``pages``, ``refused``, ``checks``, ``checks_right``, ``invented``,
plus ``page_results`` and ``skipped``. The exit status is 0 whatever the scores; 2 (with a
one-line error on stderr) when PAGES or GOLD is not a directory or the ``--markdown`` file cannot
be written.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shlex
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the extractor is imported when it is needed: bad arguments fail fast
    from kyanh_corpus.extract import Extraction

ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = ROOT / "data" / "raw"
PROG = "eval_extraction.py"
SEED_LIKE = "seed-like"

RESOLUTION_FIELDS = ("doc_type_name", "issued_on", "issuer", "title")
TURN_FIELDS = {
    "role": "speaker_role",
    "speaker_name": "speaker_name",
    "speaker_title": "speaker_title",
}
FIELDS = ("codes", *RESOLUTION_FIELDS, "genre", "turn_count", *TURN_FIELDS)
INVENTED_FIELDS = ("codes", "issued_on", "issuer", "speaker_name")
NO_RATIO = "–"

Record = Mapping[str, Any]


@dataclass
class Tally:
    """Counts of one field: true/false positives, false negatives, checks and right checks."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    checks: int = 0
    right: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.checks += other.checks
        self.right += other.right

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def as_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "checks": self.checks,
            "right": self.right,
        }


Scores = dict[str, Tally]


def empty_scores() -> Scores:
    return {name: Tally() for name in FIELDS}


def add_scores(total: Scores, more: Scores) -> None:
    for name, tally in more.items():
        total[name].add(tally)


def total_of(scores: Scores) -> Tally:
    total = Tally()
    for tally in scores.values():
        total.add(tally)
    return total


# --------------------------------------------------------------------------- scoring


def score_value(gold: object, predicted: object) -> Tally:
    """One check of a nullable value (see the module docstring): TP, FP, FN, FP+FN or TN."""
    if gold is None and predicted is None:
        return Tally(checks=1, right=1)
    if gold == predicted:
        return Tally(tp=1, checks=1, right=1)
    return Tally(fp=int(predicted is not None), fn=int(gold is not None), checks=1)


def score_genre(gold: object, predicted: object) -> Tally:
    """One exact check of the genre; "interview" is the positive class."""
    gold_pos, pred_pos = gold == "interview", predicted == "interview"
    return Tally(
        tp=int(gold_pos and pred_pos),
        fp=int(pred_pos and not gold_pos),
        fn=int(gold_pos and not pred_pos),
        checks=1,
        right=int(gold is not None and gold == predicted),
    )


def match_by_code(
    gold: Sequence[Record], predicted: Sequence[Record]
) -> tuple[list[tuple[Record, Record]], list[Record], list[Record]]:
    """Pair golden and extracted documents with the same code, in golden order.

    Returns (pairs, golden documents not extracted, extracted documents not golden).
    """
    left = list(predicted)
    pairs: list[tuple[Record, Record]] = []
    missing: list[Record] = []
    for doc in gold:
        index = next((i for i, p in enumerate(left) if p.get("code") == doc.get("code")), None)
        if index is None:
            missing.append(doc)
        else:
            pairs.append((doc, left.pop(index)))
    return pairs, missing, left


def score_codes(gold: Sequence[Record], predicted: Sequence[Record]) -> Tally:
    pairs, missing, extra = match_by_code(gold, predicted)
    tp, fp, fn = len(pairs), len(extra), len(missing)
    return Tally(tp=tp, fp=fp, fn=fn, checks=tp + fp + fn, right=tp)


class _Page:
    """The scores and the wrong checks of one page, filled in by :func:`score_page`."""

    def __init__(self, notes: list[str] | None) -> None:
        self.scores = empty_scores()
        self.notes = notes

    def check(self, name: str, tally: Tally, where: str, gold: object, predicted: object) -> None:
        self.scores[name].add(tally)
        if self.notes is not None and tally.right < tally.checks:
            self.notes.append(f"{where}{name}: expected {_show(gold)}, got {_show(predicted)}")

    def unpaired(self, names: Mapping[str, str], record: Record, where: str, gold: bool) -> None:
        """The non-null fields of a record that has no counterpart on the other side."""
        for name, key in names.items():
            value = record.get(key)
            if value is not None:
                pair = (value, None) if gold else (None, value)
                self.check(name, score_value(*pair), where, *pair)


def score_page(gold: Record, predicted: Record | None, notes: list[str] | None = None) -> Scores:
    """Score one page's extraction (``None``: the page was refused) against its golden file.

    ``predicted`` has the golden file's shape (``genre``, ``turns`` with ``speaker_role``,
    ``speaker_name``, ``speaker_title``, ``resolutions`` with ``code`` and the facts, dates as
    ISO strings); see :func:`predicted_record`. A description of every wrong check is appended
    to ``notes`` when it is given.
    """
    refused = predicted is None
    got: Record = predicted if predicted is not None else {}
    page = _Page(notes)

    gold_docs: list[Record] = list(gold.get("resolutions") or [])
    got_docs: list[Record] = list(got.get("resolutions") or [])
    pairs, missing, extra = match_by_code(gold_docs, got_docs)
    page.scores["codes"].add(score_codes(gold_docs, got_docs))
    if notes is not None:
        notes.extend(f"codes: missed {_show(doc.get('code'))}" for doc in missing)
        notes.extend(f"codes: extra {_show(doc.get('code'))}" for doc in extra)
    resolution_keys = {name: name for name in RESOLUTION_FIELDS}
    for gold_doc, got_doc in pairs:
        where = f"{gold_doc.get('code')} "
        for name in RESOLUTION_FIELDS:
            g, p = gold_doc.get(name), got_doc.get(name)
            page.check(name, score_value(g, p), where, g, p)
    for doc in missing:
        page.unpaired(resolution_keys, doc, f"{doc.get('code')} (missed) ", gold=True)
    for doc in extra:
        page.unpaired(resolution_keys, doc, f"{doc.get('code')} (extra) ", gold=False)

    gold_genre, got_genre = gold.get("genre"), got.get("genre")
    page.check("genre", score_genre(gold_genre, got_genre), "", gold_genre, got_genre)

    gold_turns: list[Record] = list(gold.get("turns") or [])
    got_turns: list[Record] = list(got.get("turns") or [])
    n_gold, n_got = len(gold_turns), len(got_turns)
    page.check("turn_count", score_value(n_gold or None, n_got or None), "", n_gold, n_got)
    for index, (gold_turn, got_turn) in enumerate(zip(gold_turns, got_turns, strict=False)):
        for name, key in TURN_FIELDS.items():
            g, p = gold_turn.get(key), got_turn.get(key)
            page.check(name, score_value(g, p), f"turn {index} ", g, p)
    for index in range(n_got, n_gold):
        page.unpaired(TURN_FIELDS, gold_turns[index], f"turn {index} (missed) ", gold=True)
    for index in range(n_gold, n_got):
        page.unpaired(TURN_FIELDS, got_turns[index], f"turn {index} (extra) ", gold=False)

    if refused:  # every check of a refused page is missed, even "0 turns" on a news page
        for tally in page.scores.values():
            tally.right = 0
    return page.scores


def predicted_record(extraction: Extraction) -> dict[str, Any]:
    """The scored facts of an extraction, in the golden file's shape."""
    return {
        "genre": extraction.article.genre,
        "turns": [
            {
                "speaker_role": turn.speaker_role,
                "speaker_name": turn.speaker_name,
                "speaker_title": turn.speaker_title,
            }
            for turn in sorted(extraction.turns, key=lambda turn: turn.turn_index)
        ],
        "resolutions": [
            {
                "code": doc.code,
                "doc_type_name": doc.doc_type_name,
                "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
                "issuer": doc.issuer,
                "title": doc.title,
            }
            for doc in extraction.resolutions
        ],
    }


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- the run


@dataclass
class PageResult:
    golden: str
    file: str
    shapes: tuple[str, ...]
    scores: Scores
    refused: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        total = total_of(self.scores)
        return {
            "golden": self.golden,
            "file": self.file,
            "shapes": list(self.shapes),
            "refused": self.refused,
            "checks": total.checks,
            "checks_right": total.right,
            "mismatches": self.notes,
        }


@dataclass
class Report:
    pages: list[PageResult]
    skipped: list[str] = field(default_factory=list)

    @property
    def fields(self) -> Scores:
        scores = empty_scores()
        for page in self.pages:
            add_scores(scores, page.scores)
        return scores

    @property
    def shapes(self) -> dict[str, Scores]:
        by_tag: dict[str, Scores] = {}
        for page in self.pages:
            for tag in page.shapes:
                add_scores(by_tag.setdefault(tag, empty_scores()), page.scores)
        return {tag: by_tag[tag] for tag in sorted(by_tag)}

    def pages_of(self, tag: str) -> list[PageResult]:
        return [page for page in self.pages if tag in page.shapes]

    @property
    def refused(self) -> int:
        return sum(page.refused is not None for page in self.pages)

    @property
    def invented(self) -> int:
        fields = self.fields
        return sum(fields[name].fp for name in INVENTED_FIELDS)

    def as_json(self) -> dict[str, Any]:
        fields = self.fields
        total = total_of(fields)
        return {
            "fields": {name: tally.as_json() for name, tally in fields.items()},
            "total": total.as_json(),
            "shapes": {
                tag: {name: tally.as_json() for name, tally in scores.items()}
                for tag, scores in self.shapes.items()
            },
            "pages": len(self.pages),
            "refused": self.refused,
            "checks": total.checks,
            "checks_right": total.right,
            "invented": self.invented,
            "page_results": [page.as_json() for page in self.pages],
            "skipped": self.skipped,
        }


def find_page(name: str, pages_dir: Path, raw_dir: Path = RAW_DIR) -> Path:
    """``PAGES/<name>``, else ``data/raw/<name>``; the former when neither exists."""
    for folder in (pages_dir, raw_dir):
        if (folder / name).is_file():
            return folder / name
    return pages_dir / name


def read_golden(path: Path) -> dict[str, Any]:
    """A golden file as a dict; ValueError saying why when it is not one."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not readable as JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("file"), str) or not data["file"]:
        raise ValueError('not a golden file (no "file" name)')
    return data


def shapes_of(golden: Record) -> tuple[str, ...]:
    tags = golden.get("shapes")
    if isinstance(tags, list):
        found = tuple(dict.fromkeys(str(tag) for tag in tags if str(tag).strip()))
        if found:
            return found
    return (SEED_LIKE,)


def evaluate(pages_dir: Path, gold_dir: Path, raw_dir: Path = RAW_DIR) -> Report:
    """Extract and score every golden file's page (golden files in name order)."""
    from kyanh_corpus.extract import ExtractionError, extract_file

    report = Report(pages=[])
    for path in sorted(gold_dir.glob("*.json")):
        try:
            golden = read_golden(path)
        except ValueError as error:
            report.skipped.append(f"{path.name}: {error}")
            continue
        name = Path(golden["file"]).name
        notes: list[str] = []
        refused: str | None = None
        predicted: dict[str, Any] | None
        try:
            predicted = predicted_record(extract_file(find_page(name, pages_dir, raw_dir)))
        except ExtractionError as error:
            predicted, refused = None, error.reason
            notes.append(f"refused: {error.reason}")
        scores = score_page(golden, predicted, notes)
        report.pages.append(PageResult(path.name, name, shapes_of(golden), scores, refused, notes))
    return report


# --------------------------------------------------------------------------- output


def _ratio(value: float | None) -> str:
    return NO_RATIO if value is None else f"{value:.3f}"


def _percent(part: int, whole: int) -> str:
    return NO_RATIO if not whole else f"{100 * part / whole:.1f}%"


HEADER = ("field", "TP", "FP", "FN", "precision", "recall", "checks", "right")


def table_rows(scores: Scores) -> list[list[str]]:
    rows = []
    for name, tally in [*scores.items(), ("all fields", total_of(scores))]:
        rows.append(
            [
                name,
                str(tally.tp),
                str(tally.fp),
                str(tally.fn),
                _ratio(tally.precision),
                _ratio(tally.recall),
                str(tally.checks),
                _percent(tally.right, tally.checks),
            ]
        )
    return rows


def plain_table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = []
    for row in [HEADER, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|---" + "|--:" * (len(HEADER) - 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def summary_lines(report: Report) -> list[str]:
    total = total_of(report.fields)
    return [
        f"pages: {len(report.pages)}",
        f"pages refused: {report.refused}",
        f"field checks: {total.checks}",
        f"checks right: {total.right} ({_percent(total.right, total.checks)})",
        f"invented facts: {report.invented}",
    ]


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def shape_heading(report: Report, tag: str) -> str:
    pages = report.pages_of(tag)
    refused = sum(page.refused is not None for page in pages)
    return f"{tag} ({_count(len(pages), 'page')}, {refused} refused)"


def render_text(report: Report, details: bool = False) -> str:
    out = [*summary_lines(report), "", "all pages", plain_table(table_rows(report.fields))]
    for tag, scores in report.shapes.items():
        out += ["", f"shape: {shape_heading(report, tag)}", plain_table(table_rows(scores))]
    refused = [page for page in report.pages if page.refused is not None]
    if refused:
        out += ["", "refused pages:"]
        out += [f"  {page.file}: {page.refused}" for page in refused]
    if details:
        for page in report.pages:
            if page.notes:
                out += ["", f"{page.file} ({page.golden}):"]
                out += [f"  {note}" for note in page.notes]
    return "\n".join(out) + "\n"


def render_markdown(report: Report, command: str) -> str:
    version = _package_version()
    intro = (
        "Produced by `scripts/eval_extraction.py` (no hand edits): every golden file's page is "
        f"extracted with `kyanh_corpus.extract.extract_file` (kyanh-corpus {version}) and "
        "compared field by field with what the golden file states. The scoring rules are in the "
        "script's docstring: a wrong value is both a false positive and a false negative, null "
        "against null is a right check outside precision and recall, and a refused page misses "
        "every check. Regenerate with:"
    )
    out = [
        "# Extraction accuracy against the golden files",
        "",
        *textwrap.wrap(intro, width=100, break_long_words=False, break_on_hyphens=False),
        "",
        "```sh",
        command,
        "```",
        "",
        "## Summary",
        "",
        *[f"- {line}" for line in summary_lines(report)],
        "",
        "*Invented facts* = false positives on codes, issued_on, issuer and speaker_name.",
        "",
        "## All pages",
        "",
        markdown_table(table_rows(report.fields)),
    ]
    for tag, scores in report.shapes.items():
        out += [
            "",
            f"## Shape: {shape_heading(report, tag)}",
            "",
            markdown_table(table_rows(scores)),
        ]
    out += [
        "",
        "## Pages",
        "",
        "| golden file | page | shapes | status | checks | right |",
        "|---|---|---|---|--:|--:|",
    ]
    for page in report.pages:
        total = total_of(page.scores)
        status = "ok" if page.refused is None else "refused: " + page.refused.replace("|", "\\|")
        out.append(
            f"| `{page.golden}` | `{page.file}` | {', '.join(page.shapes)} | {status} "
            f"| {total.checks} | {_percent(total.right, total.checks)} |"
        )
    wrong = [page for page in report.pages if page.notes]
    if wrong:
        out += ["", "## Wrong checks", ""]
        for page in wrong:
            out += [f"- `{page.file}`", *[f"  - {note}" for note in page.notes]]
    if report.skipped:
        out += ["", "## Skipped files in GOLD", "", *[f"- {line}" for line in report.skipped]]
    return "\n".join(out) + "\n"


def _package_version() -> str:
    try:
        return importlib.metadata.version("kyanh-corpus")
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


# --------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Field-level precision and recall of the extractor against golden files.",
    )
    parser.add_argument("pages", metavar="PAGES", type=Path, help="folder of raw pages")
    parser.add_argument("gold", metavar="GOLD", type=Path, help="folder of golden *.json files")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument(
        "--markdown", metavar="FILE", type=Path, help="also write a Markdown report"
    )
    parser.add_argument("--details", action="store_true", help="list every wrong check")
    return parser


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(args_list)
    for label, folder in (("PAGES", args.pages), ("GOLD", args.gold)):
        if not folder.is_dir():
            return _fail(f"{label} is not a directory: {folder}")
    if args.markdown is not None and not args.markdown.resolve().parent.is_dir():
        return _fail(f"no folder for the --markdown file: {args.markdown}")

    report = evaluate(args.pages, args.gold)
    _warn(report.skipped)
    if args.markdown is not None:
        command = ".venv/bin/python scripts/eval_extraction.py " + shlex.join(args_list)
        try:
            args.markdown.write_text(render_markdown(report, command), "utf-8")
        except OSError as error:
            return _fail(f"cannot write {args.markdown}: {error.strerror or error}")
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        sys.stdout.write(render_text(report, details=args.details))
    return 0


def _warn(lines: Iterable[str]) -> None:
    for line in lines:
        print(f"{PROG}: warning: skipped {line}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
