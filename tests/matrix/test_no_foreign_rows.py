"""No page, search, export or PDF holds a row of another organisation.

One scenario, built once for the module: two landlords (LMH, and Partenord with its own programme,
sector, association, committee and exchanges) and two associations working with LMH (EOLE and AFEJI),
each household carrying distinctive strings (reference, name, a person's last name, liaison note,
agenda and decision summaries, contact summary and confidential note, document title, report comment).
Each role of each side then reads every list, search, home page, export and PDF it may reach, and the
other side's strings must be absent: HTML decoded as text, PDFs read with pypdf, XLSX with openpyxl,
ZIP archives entry by entry.

By design (DOMAIN.md §5) the committee minutes circulate among the partners of the session: they name
every household on the agenda by reference and initials, with the agenda and decision summaries. Only
identities (names, people), contact summaries and confidential notes are checked in them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.enums import AccessAction, Role
from accounts.models import AccessLog, Organisation
from committee import services as committee_services
from households.enums import HouseholdStatus, Track
from tests.accounts.factories import OrganisationFactory, member
from tests.committee.factories import AgendaItemFactory, AttendeeFactory, DecisionFactory, SessionFactory
from tests.conftest import VerifiedClient
from tests.finance.factories import ProgrammeFactory
from tests.households.factories import (
    DwellingFactory,
    HouseholdFactory,
    PersonFactory,
    SectorFactory,
    SituationReportFactory,
    SocialLoadThresholdFactory,
    TenancyFactory,
)
from tests.matrix.support import DENIED, body, pdf_text, xlsx_text, zip_texts
from tests.measures.factories import (
    ContactFactory,
    DocumentFactory,
    LiaisonItemFactory,
    LiaisonMeetingFactory,
    MeasureFactory,
)

pytestmark = pytest.mark.django_db

# Kinds of distinctive strings.
ROW = "row"  # reference, liaison note, agenda and decision summaries, report comment, document title
IDENTITY = "identity"  # the household's name, a person's last name
CONTACT = "contact"  # a contact's shareable summary
SECRET = "secret"  # a contact's confidential note
ORG = "org"  # the landlord's programme, sector, committee room
ALL_KINDS = frozenset({ROW, IDENTITY, CONTACT, SECRET, ORG})
CASE_FILE = frozenset({ROW, IDENTITY, CONTACT, SECRET})

# Party → (code word of its household, a person's last name)
CODES = {
    "eole": ("Ormeaux", "Ormelin"),
    "afeji": ("Saulnier", "Saulcy"),
    "lmh": ("Chenevard", "Chenard"),
    "partenord": ("Pinsonneau", "Pinchon"),
}


def party_tokens(party: str) -> dict[str, list[str]]:
    code, person = CODES[party]
    tokens = {
        ROW: [
            f"F-{code.upper()}-1",
            f"Note {code}",
            f"Point {code}",
            f"Décision {code}",
            f"Signalement {code}",
            f"Pièce {code}",
        ],
        IDENTITY: [f"Famille {code}", person],
        CONTACT: [f"Résumé {code}"],
        SECRET: [f"Confidentiel {code}"],
        ORG: [],
    }
    extra = {
        "lmh": ["Programme Bocage", "Secteur Bocage", "Salle Bocage"],
        "afeji": ["Salle Saulaie"],  # LMH's session to which only AFEJI is convened
        "partenord": ["Programme Pinede", "Secteur Pinede", "Salle Pinede", "TIERCEP"],
    }
    tokens[ORG] = extra.get(party, [])
    return tokens


@dataclass
class Viewer:
    organisation: str
    role: str
    sees: list[str]  # parties whose households this viewer's lists show
    hidden: dict[str, frozenset]  # party → kinds of its strings this viewer must never read
    pages: list[str]

    def forbidden(self, *, except_kinds_of: dict[str, frozenset] | None = None) -> list[str]:
        allowed = except_kinds_of or {}
        return [
            token
            for party, kinds in self.hidden.items()
            for kind in kinds - allowed.get(party, frozenset())
            for token in party_tokens(party)[kind]
        ]


CASE_FILE_PAGES = [
    "household_list",
    "household_search",
    "household_search_for_other_names",
    "sectors",
    "liaison_list",
    "liaison_details",
    "session_list",
    "session_details",
    "home",
    "measure_pdfs",
    "minutes_pdfs",
]
FINANCE_PAGES = [
    "dashboard",
    "dashboard_pdf",
    "statement",
    "statement_pdf",
    "statement_xlsx",
    "statement_csv",
]
SECRETS_OF_ALL = {party: frozenset({SECRET}) for party in ("eole", "afeji", "lmh")}
NO_NAMES = frozenset({IDENTITY, CONTACT, SECRET})
LMH_SIDE = {"eole": ALL_KINDS, "afeji": ALL_KINDS, "lmh": ALL_KINDS}

VIEWERS = {
    "eole-referent": Viewer(
        "eole",
        Role.REFERENT,
        ["eole"],
        {"afeji": ALL_KINDS, "lmh": CASE_FILE, "partenord": ALL_KINDS},
        CASE_FILE_PAGES,
    ),
    "eole-coordinator": Viewer(
        "eole",
        Role.COORDINATOR,
        ["eole"],
        {"afeji": ALL_KINDS, "lmh": CASE_FILE, "partenord": ALL_KINDS},
        CASE_FILE_PAGES,
    ),
    "afeji-referent": Viewer(
        "afeji",
        Role.REFERENT,
        ["afeji"],
        {"eole": ALL_KINDS, "lmh": CASE_FILE, "partenord": ALL_KINDS},
        CASE_FILE_PAGES,
    ),
    "afeji-coordinator": Viewer(
        "afeji",
        Role.COORDINATOR,
        ["afeji"],
        {"eole": ALL_KINDS, "lmh": CASE_FILE, "partenord": ALL_KINDS},
        CASE_FILE_PAGES,
    ),
    "lmh-tenancy_staff": Viewer(
        "lmh",
        Role.TENANCY_STAFF,
        ["eole", "afeji", "lmh"],
        {"partenord": ALL_KINDS, **SECRETS_OF_ALL},
        CASE_FILE_PAGES,
    ),
    "lmh-secretary": Viewer(
        "lmh",
        Role.SECRETARY,
        ["eole", "afeji", "lmh"],
        {"partenord": ALL_KINDS, **SECRETS_OF_ALL},
        [*CASE_FILE_PAGES, "minutes_drafts", *FINANCE_PAGES],
    ),
    "lmh-steering": Viewer(
        "lmh",
        Role.STEERING,
        [],
        {"partenord": ALL_KINDS, **{party: NO_NAMES for party in ("eole", "afeji", "lmh")}},
        ["home", *FINANCE_PAGES],
    ),
    "lmh-data_protection": Viewer(
        "lmh",
        Role.DATA_PROTECTION,
        ["eole", "afeji", "lmh"],
        {"partenord": ALL_KINDS},
        ["home", "access_log", "gdpr_exports"],
    ),
    "partenord-tenancy_staff": Viewer("partenord", Role.TENANCY_STAFF, ["partenord"], LMH_SIDE, CASE_FILE_PAGES),
    "partenord-secretary": Viewer(
        "partenord",
        Role.SECRETARY,
        ["partenord"],
        LMH_SIDE,
        [*CASE_FILE_PAGES, "minutes_drafts", *FINANCE_PAGES],
    ),
    "partenord-steering": Viewer(
        "partenord",
        Role.STEERING,
        [],
        {**LMH_SIDE, "partenord": NO_NAMES},
        ["home", *FINANCE_PAGES],
    ),
    "partenord-data_protection": Viewer(
        "partenord", Role.DATA_PROTECTION, ["partenord"], LMH_SIDE, ["home", "access_log", "gdpr_exports"]
    ),
    "tiercep-referent": Viewer("tiercep", Role.REFERENT, ["partenord"], LMH_SIDE, CASE_FILE_PAGES),
}


# The scenario, built once for the module


@dataclass
class Scenario:
    organisations: dict[str, Organisation]
    households: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)
    meetings: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    programmes: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def build_scenario() -> Scenario:
    organisations = {
        "lmh": OrganisationFactory(landlord=True, name="Lille Métropole Habitat", short_name="LMH"),
        "partenord": OrganisationFactory(landlord=True, name="Partenord Habitat", short_name="PARTENORD"),
        "eole": OrganisationFactory(name="EOLE", short_name="EOLE"),
        "afeji": OrganisationFactory(name="AFEJI", short_name="AFEJI"),
        "tiercep": OrganisationFactory(name="Association Tierce", short_name="TIERCEP"),
    }
    org = organisations
    scenario = Scenario(organisations)
    for key, viewer in VIEWERS.items():
        scenario.users[key] = member(org[viewer.organisation], viewer.role, full_name=f"Lecteur {key}")
    SocialLoadThresholdFactory()
    sectors = {
        "lmh": SectorFactory(landlord=org["lmh"], name="Secteur Bocage"),
        "partenord": SectorFactory(landlord=org["partenord"], name="Secteur Pinede"),
    }
    scenario.programmes = {
        "lmh": ProgrammeFactory(landlord=org["lmh"], name="Programme Bocage", committee_place="Salle Bocage"),
        "partenord": ProgrammeFactory(
            landlord=org["partenord"], name="Programme Pinede", committee_place="Salle Pinede"
        ),
    }
    parties = {  # party → (landlord, proposed by, accompanying association)
        "eole": ("lmh", "eole", "eole"),
        "afeji": ("lmh", "afeji", "afeji"),
        "lmh": ("lmh", "lmh", None),
        "partenord": ("partenord", "partenord", "tiercep"),
    }
    for party, (landlord, proposer, operator) in parties.items():
        code, person = CODES[party]
        household = HouseholdFactory(
            reference=f"F-{code.upper()}-1",
            name=f"Famille {code}",
            landlord=org[landlord],
            proposed_by=org[proposer],
            operator=org[operator] if operator else None,
            track=Track.ACCES if proposer != landlord else Track.MAINTIEN,
            status=HouseholdStatus.ACCOMPANIED if operator else HouseholdStatus.PROPOSED,
        )
        PersonFactory(household=household, last_name=person, first_names="Camille")
        TenancyFactory(household=household, dwelling=DwellingFactory(landlord=org[landlord], sector=sectors[landlord]))
        staff = scenario.users[f"{landlord}-tenancy_staff"]
        SituationReportFactory(household=household, reported_by=staff, comment=f"Signalement {code}")
        DocumentFactory(household=household, title=f"Pièce {code}", confidential=False)
        if operator:
            measure = MeasureFactory(active=True, household=household)
            ContactFactory(measure=measure, summary=f"Résumé {code}", confidential_note=f"Confidentiel {code}")
            scenario.measures[party] = measure
        AccessLog.objects.create(
            user=staff,
            action=AccessAction.VIEW_HOUSEHOLD,
            object_type="ménage",
            object_id=str(household.pk),
            household_id=household.pk,
            household_reference=household.reference,
            path=f"/menages/{household.pk}/",
        )
        scenario.households[party] = household
    _liaison(scenario)
    _committee(scenario)
    return scenario


def _liaison(scenario):
    org, households = scenario.organisations, scenario.households
    for landlord, partners, parties in [
        ("lmh", ["eole", "afeji"], ["eole", "afeji", "lmh"]),
        ("partenord", ["tiercep"], ["partenord"]),
    ]:
        meeting = LiaisonMeetingFactory(
            landlord=org[landlord], partners=[org[p] for p in partners], participants="Réunion trimestrielle"
        )
        for party in parties:
            LiaisonItemFactory(meeting=meeting, household=households[party], note=f"Note {CODES[party][0]}")
        scenario.meetings.append(meeting)


def _committee(scenario):
    org, households = scenario.organisations, scenario.households
    for landlord, convened, parties, secretary in [
        ("lmh", ["lmh", "eole", "afeji"], ["eole", "afeji", "lmh"], "lmh-secretary"),
        ("partenord", ["partenord", "tiercep"], ["partenord"], "partenord-secretary"),
    ]:
        session = SessionFactory(programme=scenario.programmes[landlord], held=True)
        for organisation in convened:
            AttendeeFactory(session=session, organisation=org[organisation], name=f"Membre {organisation}")
        for party in parties:
            code = CODES[party][0]
            household = households[party]
            item = AgendaItemFactory(
                session=session, household=household, presented_by=household.proposed_by, summary=f"Point {code}"
            )
            DecisionFactory(item=item, applied=True, summary=f"Décision {code}", operator=org["eole"])
        committee_services.minutes_validate(session=session, by=scenario.users[secretary])
        scenario.sessions.append(session)
    # An LMH session to which only AFEJI is convened: EOLE does not see it.
    afeji_only = SessionFactory(programme=scenario.programmes["lmh"], place="Salle Saulaie")
    AttendeeFactory(session=afeji_only, organisation=org["afeji"], name="Membre afeji")
    scenario.sessions.append(afeji_only)


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    """Built once in a transaction rolled back after the module; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_scenario()
            transaction.set_rollback(True)


# The pages: each returns what the viewer reads, as (label, text, kinds allowed by design per party)


@dataclass
class Read:
    label: str
    text: str
    by_design: dict[str, frozenset] = field(default_factory=dict)


def _text(response) -> str:
    content = body(response)
    if content.startswith(b"%PDF-"):
        return pdf_text(content)
    if content.startswith(b"PK"):
        if response["Content-Type"] == "application/zip":
            return "\n".join(f"[{name}]\n{text}" for name, text in zip_texts(content).items())
        return xlsx_text(content)
    return content.decode("utf-8")


def _page(client, label, url, params=None) -> list[Read]:
    response = client.get(url, params or {})
    assert response.status_code == 200, f"{label}: HTTP {response.status_code}"
    return [Read(label, _text(response))]


def _each(client, label, urls: list[str]) -> list[Read]:
    """Detail pages and files of every object of the scenario: those the viewer may not open answer
    403 or 404; at least one must be readable, else the check proves nothing."""
    reads = []
    for url in urls:
        response = client.get(url)
        if response.status_code in DENIED:
            continue
        assert response.status_code == 200, f"{label} {url}: HTTP {response.status_code}"
        reads.append(Read(f"{label} {url}", _text(response)))
    assert reads, f"{label}: nothing readable at all"
    return reads


def _programme_params(scenario, viewer):
    return {"programme": scenario.programmes[viewer.organisation].pk}


PAGES: dict[str, Callable] = {
    "household_list": lambda c, s, v: _page(c, "liste des ménages", reverse("households:list")),
    "household_search": lambda c, s, v: _page(c, "recherche", reverse("households:list"), {"q": "Famille"}),
    "sectors": lambda c, s, v: _page(c, "secteurs", reverse("households:sectors")),
    "liaison_list": lambda c, s, v: _page(c, "échanges", reverse("measures:liaison_list")),
    "liaison_details": lambda c, s, v: _each(
        c, "échange", [reverse("measures:liaison_detail", args=[m.pk]) for m in s.meetings]
    ),
    "session_list": lambda c, s, v: _page(c, "séances", reverse("committee:list")),
    "session_details": lambda c, s, v: _each(
        c, "séance", [reverse("committee:detail", args=[x.pk]) for x in s.sessions]
    ),
    "home": lambda c, s, v: _page(c, "accueil", reverse("home")),
    "measure_pdfs": lambda c, s, v: _each(
        c,
        "PDF",
        [
            reverse(f"measures:{name}", args=[m.pk])
            for m in s.measures.values()
            for name in ("diagnostic_pdf", "contract_pdf")
        ],
    ),
    "minutes_drafts": lambda c, s, v: _each(
        c, "projet de PV", [reverse("committee:minutes_draft", args=[x.pk]) for x in s.sessions]
    ),
    "dashboard": lambda c, s, v: _page(c, "pilotage", reverse("finance:dashboard"), _programme_params(s, v)),
    "dashboard_pdf": lambda c, s, v: _page(c, "rapport", reverse("finance:dashboard_pdf"), _programme_params(s, v)),
    "statement": lambda c, s, v: _page(c, "état", reverse("finance:statement"), _programme_params(s, v)),
    "statement_pdf": lambda c, s, v: _page(
        c, "état PDF", reverse("finance:statement"), _programme_params(s, v) | {"format": "pdf"}
    ),
    "statement_xlsx": lambda c, s, v: _page(
        c, "état XLSX", reverse("finance:statement"), _programme_params(s, v) | {"format": "xlsx"}
    ),
    "statement_csv": lambda c, s, v: _page(
        c, "état CSV", reverse("finance:statement"), _programme_params(s, v) | {"format": "csv"}
    ),
    "access_log": lambda c, s, v: _page(c, "journal des accès", reverse("access_log")),
}


def _search_for_other_names(client, scenario, viewer) -> list[Read]:
    """Searching for another side's person by name: the page echoes the query, nothing else of theirs."""
    reads = []
    for party in viewer.hidden:
        person = CODES[party][1]
        [read] = _page(client, f"recherche « {person} »", reverse("households:list"), {"q": person})
        reads.append(Read(read.label, read.text.replace(person, "")))
    return reads


def _minutes(client, scenario, viewer) -> list[Read]:
    """Validated minutes: households on the agenda appear by reference and summaries, by design."""
    urls = [reverse("committee:minutes", args=[x.pk, 1]) for x in scenario.sessions if x.minutes.exists()]
    on_agenda = {"eole", "afeji", "lmh"} if viewer.organisation in ("eole", "afeji", "lmh") else {"partenord"}
    return [
        Read(read.label, read.text, {party: frozenset({ROW, ORG}) for party in on_agenda})
        for read in _each(client, "PV validé", urls)
    ]


def _gdpr_exports(client, scenario, viewer) -> list[Read]:
    """Each household's export holds that household only: every other household's strings are absent,
    whoever it belongs to."""
    reads = []
    for party, household in scenario.households.items():
        response = client.get(reverse("household_export", args=[household.pk]))
        if response.status_code in DENIED:
            continue
        assert response.status_code == 200
        others = {other: CASE_FILE for other in scenario.households if other != party}
        text = _text(response)
        leaked = [
            token
            for other, kinds in others.items()
            for kind in kinds
            for token in party_tokens(other)[kind]
            if token in text
        ]
        assert not leaked, f"the export of {household.reference} holds another household's data: {leaked}"
        reads.append(Read(f"export RGPD {household.reference}", text))
    assert reads, "no export readable"
    return reads


PAGES |= {
    "household_search_for_other_names": _search_for_other_names,
    "minutes_pdfs": _minutes,
    "gdpr_exports": _gdpr_exports,
}


# What each page must show of the viewer's own side (so that an empty page cannot pass)


def required(scenario, viewer, page: str) -> list[str]:
    own_refs = [scenario.households[party].reference for party in viewer.sees]
    if page in ("household_list", "household_search", "access_log"):
        return own_refs
    if page == "home" and viewer.role in (Role.REFERENT, Role.COORDINATOR):
        return own_refs
    if page in ("dashboard", "statement") or page.startswith("dashboard"):
        return [scenario.programmes[viewer.organisation].name]
    if page.startswith("statement_"):
        return [scenario.households[p].reference for p in scenario.measures if _landlord_of(p) == viewer.organisation]
    if page == "sectors":
        landlord = "partenord" if viewer.sees == ["partenord"] else "lmh"
        return [party_tokens(landlord)[ORG][1]]
    return []


def _landlord_of(party: str) -> str:
    return "partenord" if party == "partenord" else "lmh"


# The generated tests


KNOWN_BUGS: dict[str, str] = {}


def cases():
    for key, viewer in VIEWERS.items():
        for page_name in viewer.pages:
            case_id = f"{key}-{page_name}"
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case_id])] if case_id in KNOWN_BUGS else []
            yield pytest.param(key, page_name, id=case_id, marks=marks)


@pytest.mark.parametrize(("viewer_key", "page_name"), list(cases()))
def test_no_row_of_another_organisation(scenario, viewer_key, page_name):
    viewer = VIEWERS[viewer_key]
    client = VerifiedClient()
    client.force_login(scenario.users[viewer_key])

    reads = PAGES[page_name](client, scenario, viewer)

    for read in reads:
        leaked = [token for token in viewer.forbidden(except_kinds_of=read.by_design) if token in read.text]
        assert not leaked, f"{read.label} shows another organisation's data to {viewer_key}: {leaked}"
    missing = [token for token in required(scenario, viewer, page_name) if token not in reads[0].text]
    assert not missing, f"{reads[0].label} does not even show {viewer_key}'s own data: {missing}"


def test_known_bugs_name_real_cases():
    assert set(KNOWN_BUGS) <= {param.id for param in cases()}


def test_every_page_is_checked_for_some_viewer():
    used = {page for viewer in VIEWERS.values() for page in viewer.pages}

    assert used == set(PAGES)


def test_the_scenario_strings_are_distinct_per_party():
    """A token of one party never appears among another's (else a legitimate read would look like a leak)."""
    seen = {}
    for party in CODES:
        for tokens in party_tokens(party).values():
            for token in tokens:
                assert token not in seen, f"{token} is both {seen[token]}'s and {party}'s"
                seen[token] = party
