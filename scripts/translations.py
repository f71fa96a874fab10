"""Extract the messages, update the nl/fr/en catalogs, fill Dutch (the source) and compile.

Usage: python scripts/translations.py [--check]
--check only compiles (what the install and test commands run).
"""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def run(*args):
    subprocess.run([*PYBABEL, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def fill_dutch():
    """Dutch is the source language: each Dutch msgstr is its msgid."""
    path = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale="nl")
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False)


def main():
    if "--check" not in sys.argv:
        run("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
            "--sort-output", "-o", "translations/messages.pot", ".")
        run("update", "-i", "translations/messages.pot", "-d", "translations",
            "--no-fuzzy-matching", "--ignore-obsolete", "-w", "100")
        fill_dutch()
    run("compile", "-d", "translations", "--use-fuzzy")


if __name__ == "__main__":
    main()
