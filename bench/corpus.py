"""The benchmarks' corpus of many article files, made of the repository's real text.

    python bench/corpus.py MB FOLDER

The real published articles of eval/real/texts and the five seeds (122 files, 0.92 MB),
copied until FOLDER holds MB megabytes of UTF-8 text. Copy n of an article is a file of its
own, c{n:04d}_{name}.txt, whose first line is 「（第n份）」: no two files have the same bytes
(an extraction cache keyed on content cannot take one for another), while the names in them
recur as they do in the archive of one region. A real archive of that size has more distinct
names, so a larger registry: this corpus flatters the resolver, not the extractor.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "eval" / "real" / "texts").glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))


def make_corpus(folder: Path, megabytes: float) -> list[Path]:
    """Write the corpus into FOLDER (made here, must not exist); returns its files in order."""
    folder.mkdir(parents=True)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in SOURCES]
    target, size, n, files = int(megabytes * 1_000_000), 0, 0, []
    while size < target:
        for stem, text in texts:
            path = folder / f"c{n:04d}_{stem}.txt"
            body = f"（第{n}份）\n{text}"
            path.write_text(body, encoding="utf-8")
            files.append(path)
            size += len(body.encode("utf-8"))
            if size >= target:
                break
        n += 1
    return files


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.split("\n\n")[1])
    made = make_corpus(Path(sys.argv[2]), float(sys.argv[1]))
    print(f"{sys.argv[2]}: {len(made)} files, {sum(p.stat().st_size for p in made):,} bytes")
