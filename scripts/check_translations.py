"""Check the translation catalogues before a release.

    .venv/bin/python scripts/check_translations.py [--locale en] [--quiet]

Reports, for each locale's django.po: entries with an empty translation, entries still marked
fuzzy, translations whose placeholders (%(name)s, %s, {name}) differ from the source (those
raise at run time), and whether the compiled django.mo says the same as the .po. Exit status 0
when all is well, 1 otherwise.

Refresh the catalogue after adding strings: see locale/README.md.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete "#~" entries and the header are left out)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry.msgid:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if entry.msgstr or entry.msgid:
                finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#:"):
            entry.references.extend(line[2:].split())
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgctxt "):
            if entry.msgstr:
                finish()
            entry.msgctxt, target = _unquote(line[8:]), ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural, target = _unquote(line[13:]), ("msgid_plural", 0)
        elif line.startswith("msgid "):
            if entry.msgstr:
                finish()
            entry.msgid, entry.line, target = _unquote(line[6:]), number, ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            while len(entry.msgstr) <= index:
                entry.msgstr.append("")
            entry.msgstr[index] = _unquote(line[line.index("]") + 1 :])
            target = ("msgstr", index)
        elif line.startswith("msgstr "):
            entry.msgstr, target = [_unquote(line[7:])], ("msgstr", 0)
        elif line.startswith('"') and target is not None:
            part = _unquote(line)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += part
            elif name == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + part
            elif name == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + part
            else:
                entry.msgid += part
    finish()
    return entries


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


@dataclass
class Problem:
    kind: str  # missing, untranslated, fuzzy, placeholder, stale_mo
    text: str

    def __str__(self) -> str:
        return self.text


def _formats_cleanly(source: str, translation: str) -> bool:
    """Would `translation % values` work wherever `source % values` does?"""
    names = set(re.findall(r"%\((\w+)\)", source))
    try:
        if names:
            translation % dict.fromkeys(names, 1)
        else:
            translation % tuple(1 for _ in re.findall(r"%[sdif]", source))
    except (KeyError, ValueError, TypeError):
        return False
    return True


def check_locale(locale: str) -> list[Problem]:
    """Every problem of one locale's catalogue."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not po.exists():
        return [Problem("missing", f"{po}: missing (run makemessages -l {locale})")]
    problems: list[Problem] = []
    entries = parse_po(po)

    def where(entry: Entry) -> str:
        ref = f" ({entry.references[0]})" if entry.references else ""
        return f"{po.relative_to(ROOT)}:{entry.line}{ref}"

    for entry in entries:
        if not entry.msgstr or not all(entry.msgstr):
            problems.append(
                Problem("untranslated", f"{where(entry)}: untranslated: {entry.msgid!r}")
            )
            continue
        if "fuzzy" in entry.flags:
            problems.append(
                Problem(
                    "fuzzy", f"{where(entry)}: fuzzy (check, then remove the flag): {entry.msgid!r}"
                )
            )
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        wanted = set().union(*(placeholders(s) for s in sources))
        for translation in entry.msgstr:
            # A placeholder the source lacks, or a stray %, raises when the page renders.
            extra = placeholders(translation) - wanted
            broken = "python-format" in entry.flags and not _formats_cleanly(
                entry.msgid_plural or entry.msgid, translation
            )
            if extra or broken:
                problems.append(
                    Problem(
                        "placeholder",
                        f"{where(entry)}: placeholders differ: {entry.msgid!r} -> {translation!r}",
                    )
                )
    if not mo.exists():
        problems.append(
            Problem("stale_mo", f"{mo.relative_to(ROOT)}: missing (run compilemessages)")
        )
        return problems
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for entry in entries:
        if not entry.msgstr or "fuzzy" in entry.flags or not all(entry.msgstr):
            continue
        if entry.msgid_plural is None:
            compiled = [catalog.get(entry.key)]
        else:
            compiled = [catalog.get((entry.key, i)) for i in range(len(entry.msgstr))]
        if compiled != entry.msgstr:
            problems.append(
                Problem(
                    "stale_mo",
                    f"{where(entry)}: django.mo is out of date for {entry.msgid!r} "
                    "(run compilemessages)",
                )
            )
            break
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--locale", action="append", help="locale to check (default: all)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args(argv)
    locales = args.locale or sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())
    total = 0
    for locale in locales:
        problems = check_locale(locale)
        total += len(problems)
        if not args.quiet:
            for problem in problems:
                print(problem)
        print(f"{locale}: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
