"""The register import: reading both formats, syncing, dry runs and refusing bad files."""
import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import checked_page
from tests.factories import make_location, make_rating
from wdp.extensions import db
from wdp.locations.importer import RegisterFileError, parse_csv, read_register_file, sync_register
from wdp.locations.models import Location, Organisation
from wdp.locations.operations import start_participation
from wdp.rating_form.models import Rating

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE_JSON = DATA / "sociale_kaart_sample.json"
SAMPLE_JSON_V2 = DATA / "sociale_kaart_sample_v2.json"
SAMPLE_CSV = DATA / "register_sample.csv"
CSV_HEADER = ("register_id,name,organisation,sector,kind,street,postcode,municipality,email,"
              "phone,website,status")

SINT_JOZEF = "ZORG_EN_GEZONDHEID:100234"
HOF_TER_LINDE = "ZORG_EN_GEZONDHEID:100871"
TILLEULS = "ZORG_EN_GEZONDHEID:101002"
WINGERD = "ZORG_EN_GEZONDHEID:101377"
SINT_ELISABETH = "ZORG_EN_GEZONDHEID:101500"
ZONNEBLOEM = "ZORG_EN_GEZONDHEID:200114"
ONS_HUIS = "ZORG_EN_GEZONDHEID:200320"
SPEELVOGEL = "OPGROEIEN:3014720"
RUPS = "OPGROEIEN:3017777"
TER_HEIDE = "VAPH:AO-5630"
FRANCISCUS = "VAPH:WO-7802"


def run_import(app, path, *options):
    """Run the command as an operator would; it may fail, but never with a traceback."""
    db.session.commit()  # what the test set up must be visible, and not be rolled back
    result = app.test_cli_runner().invoke(args=["import-register", str(path), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    db.session.rollback()
    return result


def imported(app, path, *options):
    result = run_import(app, path, *options)
    assert result.exit_code == 0, result.output
    return result


def location(register_id):
    return db.session.scalar(select(Location).where(Location.register_id == register_id))


def snapshot():
    """Every location and organisation row, to prove that nothing was written."""
    locations = db.session.execute(select(Location.__table__).order_by(Location.id)).all()
    organisations = db.session.execute(
        select(Organisation.__table__).order_by(Organisation.id)).all()
    return locations, organisations


def variant(tmp_path, original, *replacements, name=None):
    """A copy of a sample file with some text replaced; each replacement must apply."""
    text = original.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / (name or original.name)
    path.write_text(text, encoding="utf-8")
    return path


def listed_names(client, url, query):
    page = checked_page(client, url, query_string={"q": query})
    return [a.get_text(strip=True) for a in page.select(".location-card h3 a")]


def participate(*register_ids):
    for register_id in register_ids:
        start_participation(location(register_id), date(2025, 1, 1))
    db.session.commit()


# Reading both formats -------------------------------------------------------------------

def test_first_json_import_adds_every_record_with_its_register_fields(app, app_ctx):
    result = imported(app, SAMPLE_JSON)
    assert "20 changed: added 20, updated 0, hidden 0, shown again 0; unchanged 0" in result.output
    assert f"+ added {SINT_JOZEF} WZC Sint-Jozef (woonzorgcentrum)" in result.output
    assert f"+ added {WINGERD} WZC De Wingerd (woonzorgcentrum): status 'in onderzoek'" in (
        result.output)
    assert db.session.scalar(select(func.count(Location.id))) == 20

    jozef = location(SINT_JOZEF)
    assert (jozef.sector.slug, jozef.kind.slug) == ("ouderenzorg", "woonzorgcentrum")
    assert jozef.organisation.name == "vzw Zorggroep Sint-Jozef"
    assert jozef.address_line == "Kerkstraat 12, 9000 Gent"
    assert (jozef.contact_email, jozef.phone) == ("info@wzc-sintjozef.example", "09 225 31 40")
    assert jozef.website == "https://www.wzc-sintjozef.example"
    assert jozef.register_url == "https://www.desocialekaart.be/aanbod/zorg-en-gezondheid/100234"
    assert (jozef.register_source, jozef.register_status, jozef.in_register) == (
        "sociale-kaart", "actief", True)
    assert len(jozef.code) == 6 and " wzc sint jozef " in jozef.search_key
    assert " gand " in jozef.search_key

    tilleuls = location(TILLEULS)
    assert tilleuls.street == "Chaussée de Waterloo 112"  # the primary address, not the PO box
    assert tilleuls.organisation.name == "Résidence Les Tilleuls"  # its own organisation
    assert location(ZONNEBLOEM).postcode == "3000"  # a number in the file
    elisabeth = location(SINT_ELISABETH)
    assert (elisabeth.name, elisabeth.register_status) == ("WZC Sint-Elisabeth", "actief")
    assert elisabeth.contact_email is None
    franciscus = location(FRANCISCUS)
    assert (franciscus.contact_email, franciscus.phone, franciscus.website) == (None, "", "")
    assert location(WINGERD).register_status == "in onderzoek"
    assert location(TER_HEIDE).sector.slug == "handicap"


def test_json_duplicates_keep_the_last_record_and_invalid_email_is_missing(app, app_ctx):
    result = imported(app, SAMPLE_JSON)
    assert ("warning: rubric 14.04.01, record 6 (id 'ZORG_EN_GEZONDHEID:100871'): the same "
            "register id as rubric 14.04.01, record 2; the last one wins") in result.output
    linde = location(HOF_TER_LINDE)
    assert linde.phone == "03 431 20 01"
    assert linde.contact_email == "hofterlinde@zorgbedrijf.example"  # the primary one
    assert ("e-mail 'ons.huis(at)mintus.example' is not valid; stored as missing"
            in result.output)
    assert location(ONS_HUIS).contact_email is None


def test_first_csv_import_adds_every_record(app, app_ctx):
    result = imported(app, SAMPLE_CSV)
    assert "15 changed: added 15" in result.output
    assert "warning: line 10: the same register id as line 7; the last one wins" in result.output
    assert "warning: line 14: e-mail 'info@terengelen' is not valid" in result.output
    assert db.session.scalar(select(func.count(Location.id))) == 15

    zoe = location("KO-1002")
    assert (zoe.name, zoe.organisation.name, zoe.register_source) == (
        "Gezinsopvang Zoë", "Gezinsopvang Zoë", "csv")
    assert (zoe.sector.slug, zoe.kind.slug, zoe.municipality) == (
        "kinderopvang", "gezinsopvang", "Sint-Genesius-Rode")
    assert location("KO-1006").phone == "09 216 00 11"
    assert location("KO-1005").contact_email is None
    assert location("KO-1004").register_status == "in onderzoek"
    assert location("KO-1003").website == "https://www.kapelle-op-den-bos.example/ibo"
    assert location("VA-3001").contact_email is None
    assert location("VA-3002").sector.slug == "handicap"  # no sector given: the kind decides
    assert location("VA-3003").name == "Dagcentrum De Klaproos, afdeling kortverblijf"
    assert location("VA-3004").street == "Tiensevest 33"
    assert location("JH-2001").kind.slug == "jeugdhulp-verblijf"
    assert location("JH-2003").register_status == "stopgezet"


def test_csv_with_semicolons_bom_and_written_out_header(app, app_ctx, tmp_path):
    path = tmp_path / "opgroeien.csv"
    path.write_text(
        "\ufeffRegister ID;Name;Organisation;Sector;Kind;Street;Postcode;Municipality;E-mail;"
        "Phone;Website;Status;Opmerking\n"
        "KO-9001;Kinderdagverblijf Pim, Pam en Pom;vzw Pim;kinderopvang;groepsopvang;"
        "Dorp 1;9820;Merelbeke;pim@kdv.example;;;actief;nieuw\n", encoding="utf-8")
    result = imported(app, path)
    assert "warning: line 1: column 'Opmerking' is not used" in result.output
    pim = location("KO-9001")
    assert (pim.name, pim.contact_email) == ("Kinderdagverblijf Pim, Pam en Pom",
                                             "pim@kdv.example")


def test_only_web_addresses_become_links(app, app_ctx, tmp_path):
    path = variant(tmp_path, SAMPLE_CSV, (",https://www.kabouterhuis.example,",
                                          ",javascript:alert(1),"))
    result = imported(app, path)
    assert "website 'javascript:alert(1)' is not a web address; stored as missing" in (
        result.output)
    assert location("KO-1001").website == ""


def test_the_functions_work_without_the_command(app, app_ctx):
    register = parse_csv(SAMPLE_CSV.read_text(encoding="utf-8"), file_name="x.csv",
                         source="opgroeien")
    result = sync_register(register)
    assert (len(result.added), result.unchanged, result.changed) == (15, 0, 15)
    db.session.commit()
    assert location("KO-1001").register_source == "opgroeien"
    again = sync_register(read_register_file(SAMPLE_CSV, source="opgroeien"))
    assert (len(again.added), len(again.updated), again.unchanged, again.changed) == (
        0, 0, 15, 0)


# Syncing --------------------------------------------------------------------------------

@pytest.mark.parametrize("sample", [SAMPLE_JSON, SAMPLE_CSV], ids=["json", "csv"])
def test_second_run_changes_nothing(app, app_ctx, sample):
    imported(app, sample)
    before = snapshot()
    result = imported(app, sample)
    assert "0 changed: added 0, updated 0, hidden 0, shown again 0" in result.output
    assert "+ added" not in result.output and "~ updated" not in result.output
    assert snapshot() == before


def test_resync_updates_what_changed_and_keeps_the_short_code(app, app_ctx):
    imported(app, SAMPLE_JSON)
    codes = dict(db.session.execute(select(Location.register_id, Location.code)).all())
    result = imported(app, SAMPLE_JSON_V2)
    output = result.output
    assert ("8 changed: added 1, updated 6 (contact_email 1, kind 2, name 1, register_status 2, "
            "sector 1, street 1), hidden 2, shown again 1; unchanged 13") in output
    assert f"~ updated {SINT_JOZEF} WZC Sint-Jozef (woonzorgcentrum): street, contact_email" in (
        output)
    assert f"~ updated {RUPS} Kinderopvang De Rups (gezinsopvang): kind" in output
    assert "+ added OPGROEIEN:3025510 Kinderdagverblijf Klein Duimpje (groepsopvang)" in output

    jozef = location(SINT_JOZEF)
    assert (jozef.street, jozef.contact_email) == ("Kerkstraat 14", "onthaal@wzc-sintjozef.example")
    linde = location(HOF_TER_LINDE)
    assert linde.name == "Woonzorgcentrum Hof ter Linde"
    assert " woonzorgcentrum hof ter linde " in linde.search_key
    rups = location(RUPS)
    assert (rups.sector.slug, rups.kind.slug) == ("kinderopvang", "gezinsopvang")
    heide = location(TER_HEIDE)
    assert (heide.sector.slug, heide.kind.slug) == ("ouderenzorg", "dagverzorgingscentrum")
    assert all(codes[loc.register_id] == loc.code
               for loc in db.session.scalars(select(Location)) if loc.register_id in codes)


def test_email_change_is_logged_without_the_address(app, app_ctx, caplog):
    imported(app, SAMPLE_JSON)
    caplog.set_level(logging.INFO, logger="wdp.locations.importer")
    imported(app, SAMPLE_JSON_V2)
    jozef = location(SINT_JOZEF)
    assert f"contact e-mail of location {jozef.id} changed" in caplog.text
    assert "onthaal@" not in caplog.text


def test_organisation_change_moves_the_location_and_its_search_key(app, app_ctx, tmp_path):
    imported(app, SAMPLE_CSV)
    path = variant(tmp_path, SAMPLE_CSV,
                   ("KO-1001,Kinderdagverblijf 't Kabouterhuis,vzw 't Kabouterhuis,",
                    "KO-1001,Kinderdagverblijf 't Kabouterhuis,Stad Gent,"))
    result = imported(app, path)
    assert "1 changed: added 0, updated 1 (organisation 1)" in result.output
    kabouter = location("KO-1001")
    assert kabouter.organisation.name == "Stad Gent" and " stad gent " in kabouter.search_key
    # the old organisation stays: it may have other locations and history
    assert db.session.scalar(select(Organisation).where(
        Organisation.name == "vzw 't Kabouterhuis")) is not None


def test_location_that_changes_sector_moves_on_the_site(app, app_ctx, client):
    imported(app, SAMPLE_JSON)
    participate(TER_HEIDE)
    heide_id = location(TER_HEIDE).id
    checked_page(client, f"/handicap/locatie/{heide_id}")
    checked_page(client, f"/ouderenzorg/locatie/{heide_id}", status=404)
    imported(app, SAMPLE_JSON_V2)
    checked_page(client, f"/ouderenzorg/locatie/{heide_id}")
    checked_page(client, f"/handicap/locatie/{heide_id}", status=404)


def test_gone_location_is_hidden_but_kept_with_its_ratings(app, app_ctx, client):
    imported(app, SAMPLE_JSON)
    participate(SINT_ELISABETH)
    elisabeth = location(SINT_ELISABETH)
    elisabeth_id = elisabeth.id
    make_rating(elisabeth, score=5)
    db.session.commit()
    checked_page(client, f"/ouderenzorg/locatie/{elisabeth_id}")

    result = imported(app, SAMPLE_JSON_V2)
    assert (f"- hidden {SINT_ELISABETH} WZC Sint-Elisabeth (woonzorgcentrum): no longer in "
            "the register file") in result.output
    elisabeth = db.session.get(Location, elisabeth_id)
    assert elisabeth is not None and elisabeth.in_register is False
    assert elisabeth.register_status == "actief" and elisabeth.published_count == 1
    assert db.session.scalar(select(func.count(Rating.id)).where(
        Rating.location_id == elisabeth_id)) == 1
    checked_page(client, f"/ouderenzorg/locatie/{elisabeth_id}", status=404)
    assert listed_names(client, "/zoeken", "elisabeth") == []

    result = imported(app, SAMPLE_JSON)
    assert f"^ shown again {SINT_ELISABETH} WZC Sint-Elisabeth (woonzorgcentrum): back in the " \
           "register" in result.output
    assert db.session.get(Location, elisabeth_id).in_register is True
    checked_page(client, f"/ouderenzorg/locatie/{elisabeth_id}")


def test_stopped_location_is_hidden(app, app_ctx, client):
    imported(app, SAMPLE_JSON)
    participate(SPEELVOGEL)
    speelvogel_id = location(SPEELVOGEL).id
    checked_page(client, f"/kinderopvang/locatie/{speelvogel_id}")
    result = imported(app, SAMPLE_JSON_V2)
    assert f"- hidden {SPEELVOGEL} Kinderdagverblijf De Speelvogel (groepsopvang): status " \
           "'stopgezet'" in result.output
    assert location(SPEELVOGEL).register_status == "stopgezet"
    checked_page(client, f"/kinderopvang/locatie/{speelvogel_id}", status=404)


def test_in_onderzoek_is_stored_but_not_listed(app, app_ctx, client):
    imported(app, SAMPLE_JSON)
    participate(WINGERD, SINT_JOZEF)
    wingerd = location(WINGERD)
    assert wingerd.register_status == "in onderzoek" and wingerd.in_register
    checked_page(client, f"/ouderenzorg/locatie/{wingerd.id}", status=404)
    assert listed_names(client, "/ouderenzorg/zoeken", "wzc") == ["WZC Sint-Jozef"]

    result = imported(app, SAMPLE_JSON_V2)
    assert f"^ shown again {WINGERD} WZC De Wingerd (woonzorgcentrum): status now actief" in (
        result.output)
    assert listed_names(client, "/ouderenzorg/zoeken", "wzc") == ["WZC De Wingerd",
                                                                "WZC Sint-Jozef"]


def test_a_file_for_one_sector_never_hides_another(app, app_ctx, tmp_path):
    imported(app, SAMPLE_CSV)
    other_source = make_location(sector="jeugdhulp", kind="jeugdhulp-ambulant",
                                 name="Dienst uit een ander register")
    rows = [line for line in SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
            if line.startswith("JH-200") and not line.startswith("JH-2002")]
    path = tmp_path / "jeugdhulp.csv"
    path.write_text("\n".join([CSV_HEADER, *rows]) + "\n", encoding="utf-8")

    result = imported(app, path)
    assert "covering jeugdhulp-verblijf." in result.output  # JH-2002 was the only ambulant one
    assert "0 changed" in result.output
    assert all(loc.in_register for loc in db.session.scalars(select(Location)))

    rows.pop(0)  # JH-2001 leaves the register
    path.write_text("\n".join([CSV_HEADER, *rows]) + "\n", encoding="utf-8")
    result = imported(app, path)
    assert "1 changed: added 0, updated 0, hidden 1" in result.output
    gone = {loc.register_id for loc in db.session.scalars(
        select(Location).where(Location.in_register.is_(False)))}
    assert gone == {"JH-2001"}
    assert db.session.get(Location, other_source.id).in_register


def test_an_empty_rubric_group_hides_its_kind_only(app, app_ctx, tmp_path):
    imported(app, SAMPLE_JSON)
    path = tmp_path / "gezinsopvang.json"
    path.write_text('[{"rubric": "10.07.03. Gezinsopvang voor kinderen", "records": []}]',
                    encoding="utf-8")
    result = imported(app, path)
    assert "3 changed: added 0, updated 0, hidden 3" in result.output
    hidden = db.session.scalars(select(Location).where(Location.in_register.is_(False))).all()
    assert {loc.kind.slug for loc in hidden} == {"gezinsopvang"} and len(hidden) == 3


def test_sources_are_kept_apart(app, app_ctx):
    imported(app, SAMPLE_CSV)
    imported(app, SAMPLE_CSV, "--source", "opgroeien")
    assert db.session.scalar(select(func.count(Location.id))) == 30
    result = imported(app, SAMPLE_JSON)  # covers groepsopvang, but of another source
    assert "hidden 0" in result.output
    assert all(loc.in_register for loc in db.session.scalars(select(Location)))


def test_non_ascii_names_are_found_without_accents(app, app_ctx, client):
    imported(app, SAMPLE_CSV)
    participate("KO-1002", "KO-1007")
    assert listed_names(client, "/zoeken", "zoe") == ["Gezinsopvang Zoë"]
    assert listed_names(client, "/zoeken", "ZOË") == ["Gezinsopvang Zoë"]
    assert listed_names(client, "/zoeken", "anais") == ["Gezinsopvang Anaïs Dubois"]
    assert listed_names(client, "/zoeken", "rhode") == ["Gezinsopvang Zoë"]


# Dry run --------------------------------------------------------------------------------

def test_dry_run_on_an_empty_database_saves_nothing(app, app_ctx):
    before = snapshot()
    result = imported(app, SAMPLE_JSON, "--dry-run")
    assert f"+ added {SINT_JOZEF} WZC Sint-Jozef (woonzorgcentrum)" in result.output
    assert "Dry run, nothing was saved. 20 would change: added 20" in result.output
    assert snapshot() == before
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_dry_run_shows_the_changes_and_saves_nothing(app, app_ctx):
    imported(app, SAMPLE_JSON)
    before = snapshot()
    result = imported(app, SAMPLE_JSON_V2, "--dry-run")
    assert f"~ updated {SINT_JOZEF} WZC Sint-Jozef (woonzorgcentrum): street, contact_email" in (
        result.output)
    assert f"- hidden {SINT_ELISABETH} WZC Sint-Elisabeth" in result.output
    assert "8 would change" in result.output
    assert snapshot() == before
    # the real run still does all of it afterwards
    assert "8 changed" in imported(app, SAMPLE_JSON_V2).output


# Bad files ------------------------------------------------------------------------------

BROKEN_JSON = """[
  {"rubric": "14.04.01. Woonzorgcentra (WZC)",
   "records": [
     {"id": {"id": "1", "authenticSource": "ZG"}}
     {"id": {"id": "2", "authenticSource": "ZG"}}
   ]}
]
"""
RECORD = ('{"id": {"id": "%s", "authenticSource": "ZG"}, "legalName": {"description": "%s"}, '
          '"state": "actief", "addresses": [{"street": {"name": {"description": "Dorp"}}, '
          '"number": "1", '
          '"municipality": {"postalCode": "9000", "name": {"description": "Gent"}}}]}')
GROUP = '{"rubric": "%s", "records": [%s]}'


def csv_text(*rows):
    return "\n".join([CSV_HEADER, *rows]) + "\n"


GOOD_ROW = ("X-1,Kinderdagverblijf Nieuw,vzw Nieuw,kinderopvang,groepsopvang,Dorp 1,9000,Gent,"
            ",,,actief")


@pytest.mark.parametrize("file_name,content,message", [
    ("broken.json", BROKEN_JSON,
     "broken.json: line 5, column 6: not valid JSON (Expecting ',' delimiter). Nothing was "
     "imported."),
    ("truncated.json", "".join(SAMPLE_JSON.read_text(encoding="utf-8")
                               .splitlines(keepends=True)[:150]),
     "truncated.json: line 151, column 1: not valid JSON (Expecting value)"),
    ("object.json", '{"records": []}', "object.json: expected a list of rubric groups"),
    ("rubric.json", "[" + GROUP % ("99.01. Thuiszorg", "") + "]",
     "rubric.json: rubric group 1: rubric '99.01. Thuiszorg' is not a kind of location"),
    ("noname.json", "[" + GROUP % ("14.04.01. WZC", RECORD % ("1", "WZC A") + ", "
                                   + RECORD % ("2", "")) + "]",
     "noname.json: rubric 14.04.01, record 2 (id 'ZG:2'): the name is missing"),
    ("noauth.json", "[" + GROUP % ("14.04.01. WZC", RECORD.replace(
        ', "authenticSource": "ZG"', "") % ("7", "WZC B")) + "]",
     "noauth.json: rubric 14.04.01, record 1 (id '7'): id.id or id.authenticSource is missing"),
    ("long.json", "[" + GROUP % ("14.04.01. WZC", RECORD % ("1", "W" * 301)) + "]",
     "long.json: rubric 14.04.01, record 1 (id 'ZG:1'): name is longer than 300 characters"),
    ("nocolumn.csv", SAMPLE_CSV.read_text(encoding="utf-8").replace(",email,", ",e-mail adres,"),
     "nocolumn.csv: line 1: missing column email (expected register_id, name,"),
    ("kind.csv", csv_text(GOOD_ROW, GOOD_ROW.replace("X-1", "X-2"),
                          GOOD_ROW.replace("X-1", "X-3").replace("groepsopvang",
                                                                 "kinderdagverblijf")),
     "kind.csv: line 4: unknown kind 'kinderdagverblijf'. Nothing was imported."),
    ("sector.csv", csv_text(GOOD_ROW.replace(",kinderopvang,", ",ouderenzorg,")),
     "sector.csv: line 2: kind 'groepsopvang' belongs to sector 'kinderopvang', not "
     "'ouderenzorg'"),
    ("postcode.csv", csv_text(GOOD_ROW, GOOD_ROW.replace(",9000,", ",B-9000,")),
     "postcode.csv: line 3: postcode 'B-9000' is not a Belgian postcode (4 digits)"),
    ("fields.csv", csv_text(GOOD_ROW, GOOD_ROW.replace("Nieuw,vzw", "Nieuw, Gent,vzw")),
     "fields.csv: line 3: 13 fields where the header has 12"),
    ("noid.csv", csv_text(GOOD_ROW.replace("X-1,", ",")),
     "noid.csv: line 2: the register id is missing"),
    ("empty.csv", "", "empty.csv: line 1: the file is empty"),
])
def test_bad_file_names_the_line_and_changes_nothing(app, app_ctx, tmp_path, file_name,
                                                     content, message):
    imported(app, SAMPLE_CSV)
    imported(app, SAMPLE_JSON)
    before = snapshot()
    path = tmp_path / file_name
    path.write_text(content, encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 1
    assert message in result.output
    assert snapshot() == before


def test_every_problem_is_listed_at_once(app, app_ctx, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(csv_text(GOOD_ROW.replace("groepsopvang", "creche"),
                             GOOD_ROW.replace(",9000,", ",,"), GOOD_ROW.replace(",actief", ",")),
                    encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: many.csv: 3 problems. Nothing was imported.",
        "  line 2: unknown kind 'creche'",
        "  line 3: the postcode is missing",
        "  line 4: the status is missing",
    ]
    assert db.session.scalar(select(func.count(Location.id))) == 0


def test_file_that_is_not_utf8_names_the_line(app, app_ctx, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(csv_text(GOOD_ROW, GOOD_ROW.replace("X-1,Kinderdagverblijf Nieuw",
                                                         "X-2,Gezinsopvang Zoë"))
                     .encode("cp1252"))
    result = run_import(app, path)
    assert result.exit_code == 1
    assert "excel.csv: line 3: the file is not UTF-8 text (save it as UTF-8)" in result.output
    assert db.session.scalar(select(func.count(Location.id))) == 0


def test_bad_source_name_and_missing_file_are_refused(app, app_ctx, tmp_path):
    result = run_import(app, SAMPLE_CSV, "--source", "Opgroeien KO")
    assert result.exit_code == 1 and "source 'Opgroeien KO' must be lowercase" in result.output
    result = run_import(app, tmp_path / "bestaat-niet.csv")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert db.session.scalar(select(func.count(Location.id))) == 0


def test_register_file_error_keeps_every_problem():
    with pytest.raises(RegisterFileError) as caught:
        parse_csv(csv_text(*(GOOD_ROW.replace(",9000,", ",1,") for _ in range(25))),
                  file_name="big.csv")
    assert len(caught.value.problems) == 25
    lines = str(caught.value).splitlines()
    assert lines[0] == "big.csv: 25 problems. Nothing was imported."
    assert lines[-1] == "  … and 5 more" and len(lines) == 22


def test_database_refusal_is_one_clear_line(app, app_ctx, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import wdp.locations.cli

    def refuse(register):
        raise OperationalError("INSERT INTO locations …", {}, Exception("database is locked"))

    monkeypatch.setattr(wdp.locations.cli, "sync_register", refuse)
    result = run_import(app, SAMPLE_CSV)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: register_sample.csv: the database refused the import, nothing was saved "
        "(database is locked). If another import was running, run this one again."]
