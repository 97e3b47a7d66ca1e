"""The README's main job: build the corpus from data/raw/ into --out, then load it back.

Runs the real command line (``kyanh-corpus build data/raw --out DIR``), then reads the folder
through the public typed loaders (``kyanh_corpus.load_articles`` and friends: checksums verified
against ``manifest.json``) and prints the counts and a few typed records.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


def _short(text: str, width: int = 96) -> str:
    return textwrap.shorten(text, width=width, placeholder=" …")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="demo-out", help="the folder to build (default demo-out)")
    parser.add_argument("inputs", nargs="*", default=[str(RAW)], help="raw pages (data/raw/)")
    args = parser.parse_args()

    command = [sys.executable, "-m", "kyanh_corpus", "build", *args.inputs, "--out", args.out]
    print("$ kyanh-corpus build", " ".join(args.inputs), "--out", args.out, flush=True)
    done = subprocess.run(command)
    if done.returncode != 0:
        return done.returncode

    import kyanh_corpus

    out = Path(args.out)
    articles = kyanh_corpus.load_articles(out)
    turns = kyanh_corpus.load_interview_turns(out)
    resolutions = kyanh_corpus.load_resolutions(out)
    sources = kyanh_corpus.load_sources(out)
    print(
        f"\nloaded {out}: {len(articles)} articles, {len(turns)} interview turns, "
        f"{len(resolutions)} resolutions, {len(sources)} sources"
    )
    for article in articles:
        print(f"\nArticle {article.article_id} ({article.genre}, {len(article.paragraphs)} ¶)")
        print(f"  title:   {_short(article.title)}")
        print(f"  authors: {', '.join(article.authors) or '-'} ({article.byline_role or '-'})")
        break
    for turn in itertools.islice(turns, 3):
        who = turn.speaker_name or turn.speaker_label
        print(f"InterviewTurn {turn.turn_index} [{turn.speaker_role}] {who}: {_short(turn.text)}")
    for resolution in resolutions:
        print(
            f"Resolution {resolution.code} ({resolution.doc_type_name}, "
            f"issued {resolution.issued_on or '?'} by {resolution.issuer or '?'}): "
            f"{len(resolution.mentions)} mention(s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
