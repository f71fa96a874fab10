"""Every message has a real French and English translation, and the catalogs are current."""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
#: msgids that may stay the same in another language (names, numbers, shared words)
SAME_ALLOWED = {"WDP", "Contact", "Privacy", "E-mail", "Website", "Organisatie: %(name)s"}


def catalog(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def template_ids():
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_catalog_has_every_message_of_the_template(lang):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}
    assert template_ids() <= ids, "run scripts/translations.py"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_message_is_translated_and_not_just_dutch(lang):
    problems = []
    for message in catalog(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {ids[0]!r}")
        for source, text in zip(ids, strings, strict=False):
            if not text:
                problems.append(f"missing: {source!r}")
            elif text == source and source not in SAME_ALLOWED:
                problems.append(f"still Dutch: {source!r}")
    assert not problems, f"{lang}: {len(problems)} problems, e.g. " + "; ".join(problems[:10])


def test_extracted_template_is_current(tmp_path):
    """A string added to the code without running scripts/translations.py fails here."""
    from babel.messages.frontend import CommandLineInterface
    root = TRANSLATIONS.parent
    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"),
                                "-k", "_l", "-k", "lazy_gettext", "--no-location",
                                "-o", str(out), str(root)])
    with out.open("rb") as f:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    missing = fresh - template_ids()
    assert not missing, f"not in translations/messages.pot: {sorted(missing)[:10]}"


def test_default_themes_exist_in_every_language():
    from wdp.sectors.default_themes import DEFAULT_THEMES
    for sector, themes in DEFAULT_THEMES.items():
        assert len(themes) == 8, sector
        for key, texts in themes:
            assert set(texts) == {"nl", "fr", "en"}, (sector, key)
            for lang in ("fr", "en"):
                assert all(texts[lang]) and texts[lang] != texts["nl"], (sector, key, lang)


def test_lazy_messages_hold_no_markup_characters(tmp_path):
    """flask_babel's lazy strings say they are safe HTML (``__html__``), so Jinja does not
    escape them: a lazy message (or its translation) with ``<``, ``>``, ``&`` or ``"`` would
    put markup into the page or break an attribute. Lazy messages must not hold them."""
    from babel.messages.frontend import CommandLineInterface
    root = TRANSLATIONS.parent
    out = tmp_path / "lazy.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "--no-default-keywords",
                                "-k", "_l", "-k", "lazy_gettext", "--no-location",
                                "-o", str(out), str(root / "wdp")])
    with out.open("rb") as f:
        lazy = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert len(lazy) > 50, "the extraction found the lazy messages"
    problems = []
    for lang in ("nl", "fr", "en"):
        for message in catalog(lang):
            source = message.id if isinstance(message.id, str) else (message.id or [""])[0]
            if source not in lazy:
                continue
            strings = [message.string] if isinstance(message.string, str) else message.string
            for text in [source, *strings]:
                if any(char in (text or "") for char in '<>&"'):
                    problems.append(f"{lang}: {text!r}")
    assert not problems, problems[:10]
