"""Text heuristics that help the editorial check: names, phone numbers, addresses, links."""
import re

from markupsafe import Markup, escape

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_WORD = rf"[{_UPPER}][{_LOWER}'’-]+"
_PARTICLES = r"(?:van der|van den|van de|van|de|der|den|ter|ten|le|la|du)"
#: two capitalised words (optionally with a Dutch particle between): "Jan Peeters", "Els van Dam"
NAME = re.compile(rf"\b{_WORD}(?:\s+{_PARTICLES})?\s+{_WORD}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>]+|\b[\w-]+\.(?:be|nl|com|org|net|eu|fr|info)\b"
                 r"(?:/[^\s<>]*)?", re.IGNORECASE)
#: Belgian numbers with any spacing: 0470 12 34 56, 09/123.45.67, +32 470 12 34 56
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)32[ ./-]?(?:\(0\))?|0)\d(?:[ ./-]?\d){6,8}(?!\w)")
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")

KINDS = ("name", "phone", "email", "url")


def _at_sentence_start(text, start):
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:\n\"'“(-"


def find(text, ignore=()):
    """Spans [(start, end, kind)] in the text that look like personal data or a link.

    `ignore` holds phrases (the location's and organisation's names) that are no person.
    """
    spans = []
    for match in EMAIL.finditer(text):
        spans.append((match.start(), match.end(), "email"))
    for match in URL.finditer(text):
        # A full stop or comma after a link ends the sentence, not the link.
        spans.append((match.start(), match.end() - (len(match.group(0))
                                                     - len(match.group(0).rstrip(".,;:!?)"))),
                      "url"))
    for match in PHONE.finditer(text):
        if not _DATE.fullmatch(match.group(0)):
            spans.append((match.start(), match.end(), "phone"))
    lowered = [phrase.lower() for phrase in ignore if phrase]
    position = 0
    while match := NAME.search(text, position):
        if _at_sentence_start(text, match.start()):
            # "Verpleegster Els van Dam": look again from the second word on.
            position = match.start() + len(match.group(0).split()[0])
            continue
        position = match.end()
        if not any(match.group(0).lower() in phrase for phrase in lowered):
            spans.append((match.start(), match.end(), "name"))
    # The first of overlapping spans wins (an e-mail address also looks like a link).
    spans.sort(key=lambda span: (span[0], -span[1]))
    kept, end = [], -1
    for span in spans:
        if span[0] >= end:
            kept.append(span)
            end = span[1]
    return kept


def kinds_in(text, ignore=()):
    return {kind for _start, _end, kind in find(text or "", ignore)}


def highlight(text, ignore=()):
    """The text escaped, with each suspicious part inside <mark>."""
    text = text or ""
    return highlight_spans(text, find(text, ignore))


def highlight_spans(text, spans):
    """The text escaped, with the spans find() gave inside <mark>."""
    out, position = [], 0
    for start, end, kind in spans:
        out.append(escape(text[position:start]))
        out.append(Markup('<mark class="flag-{}">{}</mark>').format(kind, text[start:end]))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)
