"""The register import: reads a Sociale Kaart JSON or flat CSV export and syncs the locations.

Sociale Kaart JSON: a top-level list of rubric groups,
``[{"rubric": "14.04.01. Woonzorgcentra (WZC)", "records": [RECORD, ...]}, ...]``.
The rubric's leading code (14.04.01) gives the kind through ``KIND_BY_RUBRIC``; a group
covers its kind even when its list of records is empty. Of a RECORD we read:

- ``id.authenticSource`` and ``id.id``: the register id ``<authenticSource>:<id>`` (an id is
  only unique within its authentic source);
- ``legalName.description``: the name;
- ``organisation.legalName.description``: the organisation (a record without one is its own
  organisation, as a childminder often is);
- ``state``: the register status;
- ``addresses[]``, the one with ``primary`` true, else the first: ``street.name.description``
  and ``number`` (the street), ``municipality.postalCode``, ``municipality.name.description``;
- ``contactInfo.emails[]``, ``.phones[]``, ``.websites[]``: the primary ``value``, else the
  first (a plain string works too);
- ``url``: ``register_url``, the record's own page in the register.

``type``, ``activities[]`` and ``location.lat/lon`` are not used.

CSV: UTF-8 (an Excel BOM is fine), comma or semicolon separated, a header row with
register_id, name, organisation, sector, kind, street, postcode, municipality, email, phone,
website, status (case, spaces, hyphens and underscores in the header are ignored, so
"Register ID" and "E-mail" work). Sector and kind are slugs; the kind decides the sector and
a filled-in sector must agree with it. A CSV file covers the kinds that occur in it.

Every file comes from one register source (``--source``; "sociale-kaart" for JSON and "csv"
for CSV by default). The whole file is validated before anything is written; one problem
refuses the whole file. Within a file the last record with a register id wins, with a
warning. Status values are stored lowercased with single spaces; only "actief" is listed.
The sync never deletes a location: one that is missing from a file covering its (source,
kind) gets ``in_register = False`` and comes back when a later file has it again.
"""
import csv
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wdp.extensions import db
from wdp.locations.models import Location, Organisation
from wdp.locations.operations import add_location, refresh_search_key
from wdp.sectors.catalog import KIND_BY_RUBRIC, KIND_BY_SLUG, SECTOR_BY_SLUG, SECTOR_OF_KIND
from wdp.sectors.models import LocationKind

log = logging.getLogger(__name__)

SOCIALE_KAART_SOURCE = "sociale-kaart"
CSV_SOURCE = "csv"
ACTIVE = "actief"
CSV_COLUMNS = ("register_id", "name", "organisation", "sector", "kind", "street", "postcode",
               "municipality", "email", "phone", "website", "status")
#: register-owned location fields the sync compares and writes, besides kind and organisation
SYNCED_FIELDS = ("name", "street", "postcode", "municipality", "contact_email", "phone",
                 "website", "register_status", "register_url")
#: fields that feed the search key
SEARCH_FIELDS = {"name", "organisation", "municipality", "postcode"}

_SOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_RUBRIC_CODE = re.compile(r"\s*(\d+(?:\.\d+)*)")
_BELGIAN_POSTCODE = re.compile(r"[1-9][0-9]{3}")
_HEADER_NOISE = re.compile(r"[\s_-]+")
_HOST_NAME = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,63}")


#: longer values are refused rather than cut, so nothing is silently lost
MAX_LENGTHS = {
    **{column: Location.__table__.c[column].type.length
       for column in ("register_id", *SYNCED_FIELDS)},
    "organisation": Organisation.__table__.c.name.type.length,
}


class RegisterFileError(Exception):
    """The file cannot be imported; nothing was written. Each problem names its line or record."""

    def __init__(self, file_name, problems):
        self.file_name = file_name
        self.problems = list(problems)
        super().__init__(self.message())

    def message(self, limit=20):
        if len(self.problems) == 1:
            return f"{self.file_name}: {self.problems[0]}. Nothing was imported."
        lines = [f"{self.file_name}: {len(self.problems)} problems. Nothing was imported."]
        lines += [f"  {problem}" for problem in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … and {len(self.problems) - limit} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class RegisterRecord:
    """One location as a register gives it, normalised and validated."""

    #: "line 7" or "rubric 14.04.01, record 3 (id 'ZG:1234')", for messages
    where: str
    register_id: str
    name: str
    organisation: str
    kind: str
    street: str
    postcode: str
    municipality: str
    contact_email: str | None
    phone: str
    website: str
    register_status: str
    #: None when the format has no such field: the stored value is then left alone
    register_url: str | None


@dataclass
class RegisterFile:
    """A validated register file: its records, the kinds it covers and the warnings."""

    file_name: str
    source: str
    records: list
    covered_kinds: frozenset
    warnings: list = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    """What happened to one location, in plain values that outlive the transaction."""

    register_id: str
    name: str
    kind: str
    #: changed fields (updated), or why it is hidden or shown again
    detail: tuple = ()


@dataclass
class SyncResult:
    """What one sync did (or, in a dry run, would do), for the command's report."""

    file_name: str
    source: str
    records: int
    covered_kinds: frozenset
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    shown_again: list = field(default_factory=list)
    unchanged: int = 0
    warnings: list = field(default_factory=list)

    @property
    def changed(self):
        """How many locations changed (a location both updated and hidden counts once)."""
        touched = {c.register_id for c in (*self.added, *self.updated, *self.hidden,
                                           *self.shown_again)}
        return len(touched)

    def field_counts(self):
        counts = {}
        for change in self.updated:
            for name in change.detail:
                counts[name] = counts.get(name, 0) + 1
        return counts


# Reading ---------------------------------------------------------------------------------

def read_register_file(path, source=None):
    """Read, normalise and validate a register file; raise RegisterFileError on any problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RegisterFileError(path.name, [f"cannot be read ({error.strerror})"]) from None
    is_json = path.suffix.lower() == ".json" or (
        path.suffix.lower() != ".csv" and data.lstrip()[:1] in (b"[", b"{"))
    source = source or (SOCIALE_KAART_SOURCE if is_json else CSV_SOURCE)
    if not _SOURCE_NAME.fullmatch(source):
        raise RegisterFileError(path.name, [
            f"source {source!r} must be lowercase letters, digits and hyphens (at most 40)"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise RegisterFileError(path.name, [
            f"line {line}: the file is not UTF-8 text (save it as UTF-8)"]) from None
    parse = parse_sociale_kaart_json if is_json else parse_csv
    return parse(text, file_name=path.name, source=source)


class _Record:
    """Collects the values and problems of one record before it becomes a RegisterRecord."""

    def __init__(self, where, problems, warnings):
        self.where = where
        self.problems = problems
        self.warnings = warnings
        self.failed = False

    def problem(self, text):
        self.problems.append(f"{self.where}: {text}")
        self.failed = True

    def warn(self, text):
        self.warnings.append(f"{self.where}: {text}")

    def text(self, value, label):
        """Whitespace-normalised text; numbers become text; anything else is a problem."""
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.problem(f"{label} is not text")
            return ""
        return " ".join(str(value).split())

    def build(self, *, register_id, name, organisation, kind, street, postcode, municipality,
              email, phone, website, status, register_url, id_fields="the register id"):
        if not register_id:
            self.problem(f"{id_fields} is missing")
        if not name:
            self.problem("the name is missing")
        if not _BELGIAN_POSTCODE.fullmatch(postcode):
            self.problem(f"postcode {postcode!r} is not a Belgian postcode (4 digits)"
                         if postcode else "the postcode is missing")
        if not municipality:
            self.problem("the municipality is missing")
        status = status.lower()
        if not status:
            self.problem("the status is missing")
        values = {
            "register_id": register_id, "name": name, "organisation": organisation or name,
            "street": street, "postcode": postcode, "municipality": municipality,
            "contact_email": self.email(email), "phone": phone,
            "website": self.web_address(website, "website"), "register_status": status,
            "register_url": (None if register_url is None
                             else self.web_address(register_url, "register url")),
        }
        # the organisation as given: a name that is too long is reported once
        for column, value in dict(values, organisation=organisation).items():
            if value and len(value) > MAX_LENGTHS[column]:
                self.problem(f"{column} is longer than {MAX_LENGTHS[column]} characters")
        if self.failed:
            return None
        return RegisterRecord(where=self.where, kind=kind, **values)

    def email(self, value):
        if not value:
            return None
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError:
            self.warn(f"e-mail {value!r} is not valid; stored as missing")
            return None

    def web_address(self, value, label):
        """An http(s) address (https:// added when missing); anything else becomes a warning."""
        if not value:
            return ""
        url = value if "://" in value else "https://" + value
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018 (raises on "javascript:alert(1)" read as host:port)
        except ValueError:
            parts = None
        if (parts is None or parts.scheme.lower() not in ("http", "https") or " " in url
                or parts.username is not None
                or not _HOST_NAME.fullmatch(parts.hostname or "")):
            self.warn(f"{label} {value!r} is not a web address; stored as missing")
            return ""
        return url


def _dig(value, *keys):
    """value[k1][k2]…, or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _primary(items, label, record):
    """The item marked primary, else the first; items may be objects or plain values."""
    if items is None:
        return None
    if not isinstance(items, list):
        record.problem(f"{label} is not a list")
        return None
    items = [item for item in items if item not in (None, "", {})]
    return next((i for i in items if isinstance(i, dict) and i.get("primary") is True),
                items[0] if items else None)


def _primary_value(items, label, record):
    chosen = _primary(items, label, record)
    return record.text(chosen.get("value") if isinstance(chosen, dict) else chosen, label)


def _keep_last(records, record, warnings):
    previous = records.get(record.register_id)
    if previous is not None:
        first_place = previous.where.partition(" (id ")[0]
        warnings.append(f"{record.where}: the same register id as {first_place}; "
                        "the last one wins")
    records[record.register_id] = record


def parse_sociale_kaart_json(text, *, file_name="register.json", source=SOCIALE_KAART_SOURCE):
    """Normalise a Sociale Kaart export (see the module docstring for its shape)."""
    try:
        groups = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegisterFileError(file_name, [
            f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"]) from None
    except RecursionError:
        raise RegisterFileError(file_name, ["the JSON is nested too deeply"]) from None
    if not isinstance(groups, list):
        raise RegisterFileError(file_name, [
            'expected a list of rubric groups: [{"rubric": "14.04.01. …", "records": […]}]'])
    problems, warnings, records, covered = [], [], {}, set()
    for group_number, group in enumerate(groups, 1):
        rubric = _dig(group, "rubric")
        match = _RUBRIC_CODE.match(rubric) if isinstance(rubric, str) else None
        if match is None:
            problems.append(f"rubric group {group_number}: the rubric is missing")
            continue
        code = match.group(1)
        kind = KIND_BY_RUBRIC.get(code)
        if kind is None:
            problems.append(f"rubric group {group_number}: rubric {rubric!r} is not a kind of "
                            f"location WDP knows (known: {', '.join(sorted(KIND_BY_RUBRIC))})")
            continue
        items = _dig(group, "records")
        if not isinstance(items, list):
            problems.append(f"rubric group {group_number} ({code}): records is not a list")
            continue
        covered.add(kind)
        for number, item in enumerate(items, 1):
            record = _json_record(item, f"rubric {code}, record {number}", kind, problems,
                                  warnings)
            if record is not None:
                _keep_last(records, record, warnings)
    if problems:
        raise RegisterFileError(file_name, problems)
    return RegisterFile(file_name, source, list(records.values()), frozenset(covered), warnings)


def _json_record(item, where, kind, problems, warnings):
    if not isinstance(item, dict):
        problems.append(f"{where}: not an object")
        return None
    ids = _Record(where, problems, warnings)
    source = ids.text(_dig(item, "id", "authenticSource"), "id.authenticSource")
    local_id = ids.text(_dig(item, "id", "id"), "id.id")
    register_id = f"{source}:{local_id}" if source and local_id else ""
    record = _Record(f"{where} (id {register_id or local_id or '?'!r})", problems, warnings)
    address = _primary(item.get("addresses"), "addresses", record)
    contact = _dig(item, "contactInfo")
    street = " ".join(p for p in (
        record.text(_dig(address, "street", "name", "description"), "street"),
        record.text(_dig(address, "number"), "number")) if p)
    return record.build(
        register_id=register_id,
        name=record.text(_dig(item, "legalName", "description"), "legalName"),
        organisation=record.text(_dig(item, "organisation", "legalName", "description"),
                                 "organisation"),
        kind=kind,
        street=street,
        postcode=record.text(_dig(address, "municipality", "postalCode"), "postalCode"),
        municipality=record.text(_dig(address, "municipality", "name", "description"),
                                 "municipality"),
        email=_primary_value(_dig(contact, "emails"), "emails", record),
        phone=_primary_value(_dig(contact, "phones"), "phones", record),
        website=_primary_value(_dig(contact, "websites"), "websites", record),
        status=record.text(item.get("state"), "state"),
        register_url=record.text(item.get("url"), "url"),
        id_fields="id.id or id.authenticSource",
    )


def _header_key(name):
    return _HEADER_NOISE.sub("", (name or "").lower())


def parse_csv(text, *, file_name="register.csv", source=CSV_SOURCE):
    """Normalise a flat CSV export (see the module docstring for its columns)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise RegisterFileError(file_name, ["line 1: the file is empty"])
        wanted = {_header_key(c): c for c in CSV_COLUMNS}
        keys = [_header_key(h) for h in header]
        missing = [c for k, c in wanted.items() if k not in keys]
        doubled = sorted({h for h, k in zip(header, keys, strict=True)
                          if k in wanted and keys.count(k) > 1})
        if missing or doubled:
            problems = []
            if missing:
                problems.append(f"line 1: missing column{'s' if len(missing) > 1 else ''} "
                                f"{', '.join(missing)} (expected {', '.join(CSV_COLUMNS)})")
            if doubled:
                problems.append(f"line 1: column {', '.join(doubled)} occurs more than once")
            raise RegisterFileError(file_name, problems)
        warnings = [f"line 1: column {h!r} is not used" for h, k in zip(header, keys, strict=True)
                    if k not in wanted]
        position = {wanted[k]: i for i, k in enumerate(keys) if k in wanted}
        problems, records, covered = [], {}, set()
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"line {reader.line_num}"
            if len(row) != len(header):
                problems.append(f"{where}: {len(row)} fields where the header has {len(header)}"
                                f" (is a value with a {delimiter!r} missing its quotes?)")
                continue
            record = _csv_record(row, position, where, problems, warnings)
            if record is not None:
                covered.add(record.kind)
                _keep_last(records, record, warnings)
    except csv.Error as error:
        raise RegisterFileError(file_name, [f"line {reader.line_num}: {error}"]) from None
    if problems:
        raise RegisterFileError(file_name, problems)
    return RegisterFile(file_name, source, list(records.values()), frozenset(covered), warnings)


def _csv_record(row, position, where, problems, warnings):
    record = _Record(where, problems, warnings)
    value = {column: record.text(row[i], column) for column, i in position.items()}
    kind, sector = value["kind"].lower(), value["sector"].lower()
    if kind not in KIND_BY_SLUG:
        record.problem(f"unknown kind {value['kind']!r}" if kind else "the kind is missing")
    elif sector and SECTOR_OF_KIND[kind] != sector:
        record.problem(f"kind {kind!r} belongs to sector {SECTOR_OF_KIND[kind]!r}, "
                       f"not {value['sector']!r}" if sector in SECTOR_BY_SLUG
                       else f"unknown sector {value['sector']!r}")
    return record.build(
        register_id=value["register_id"], name=value["name"],
        organisation=value["organisation"], kind=kind, street=value["street"],
        postcode=value["postcode"], municipality=value["municipality"], email=value["email"],
        phone=value["phone"], website=value["website"], status=value["status"],
        register_url=None)


# Syncing ---------------------------------------------------------------------------------

def _register_listed(location):
    """Whether the register lets the location be listed (participation aside)."""
    return location.in_register and location.register_status == ACTIVE


def sync_register(register):
    """Bring the locations of one register source in line with a validated file.

    Writes in the caller's transaction and flushes; the caller commits, or rolls back for a
    dry run. Raises RegisterFileError when the database lacks a kind (not seeded).
    """
    kinds = {k.slug: k for k in db.session.scalars(
        select(LocationKind).options(joinedload(LocationKind.sector)))}
    unseeded = sorted(({r.kind for r in register.records} | register.covered_kinds) - set(kinds))
    if unseeded:
        raise RegisterFileError(register.file_name, [
            f"kind {', '.join(unseeded)} is not in the database (run `flask --app wdp seed`)"])
    result = SyncResult(register.file_name, register.source, len(register.records),
                        register.covered_kinds, warnings=list(register.warnings))
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    existing = {loc.register_id: loc for loc in db.session.scalars(
        select(Location).where(Location.register_source == register.source)
        .options(joinedload(Location.organisation), joinedload(Location.kind)))}

    def organisation(name):
        if name not in organisations:
            organisations[name] = Organisation(name=name)
            db.session.add(organisations[name])
        return organisations[name]

    for record in register.records:
        kind = kinds[record.kind]
        values = {f: getattr(record, f) for f in SYNCED_FIELDS if getattr(record, f) is not None}
        location = existing.get(record.register_id)
        if location is None:
            location = add_location(
                sector=kind.sector, kind=kind, organisation=organisation(record.organisation),
                register_source=register.source, register_id=record.register_id,
                in_register=True, **values)
            detail = () if record.register_status == ACTIVE else (
                f"status {record.register_status!r}: not listed",)
            result.added.append(Change(record.register_id, record.name, record.kind, detail))
            continue
        was_listed = _register_listed(location)
        changed = [f for f, value in values.items() if getattr(location, f) != value]
        old_email = location.contact_email
        for name in changed:
            setattr(location, name, values[name])
        if location.kind_id != kind.id:
            location.kind = kind
            changed.append("kind")
        if location.sector_id != kind.sector_id:
            location.sector = kind.sector
            changed.append("sector")
        if location.organisation.name != record.organisation:
            location.organisation = organisation(record.organisation)
            changed.append("organisation")
        if not location.in_register:
            location.in_register = True
            changed.append("in_register")
        if SEARCH_FIELDS.intersection(changed):
            refresh_search_key(location)
        if "contact_email" in changed:
            # Addresses stay out of the log. A participating location's new address gets
            # its own secure link; the old address's link no longer covers it.
            log.info("register import: contact e-mail of location %s changed", location.id)
            from wdp.organisations.notify import register_address_changed
            register_address_changed(location, old_email)
        change = Change(record.register_id, record.name, record.kind, tuple(changed))
        if changed:
            result.updated.append(change)
        else:
            result.unchanged += 1
        if was_listed and not _register_listed(location):
            result.hidden.append(Change(record.register_id, record.name, record.kind,
                                        (f"status {location.register_status!r}",)))
        elif not was_listed and _register_listed(location):
            why = "back in the register" if "in_register" in changed else "status now actief"
            result.shown_again.append(Change(record.register_id, record.name, record.kind,
                                             (why,)))

    in_file = {r.register_id for r in register.records}
    covered_ids = {kinds[k].id for k in register.covered_kinds}
    for location in existing.values():
        if (location.register_id not in in_file and location.in_register
                and location.kind_id in covered_ids):
            location.in_register = False
            result.hidden.append(Change(location.register_id, location.name, location.kind.slug,
                                        ("no longer in the register file",)))
    db.session.flush()
    return result
