"""The permission matrix (accounts/matrix.py), cell by cell, through the application's real URLs.

The tests are generated from `MATRIX`: for every object type × action × role, in three situations,
the action is performed as a user holding that role, and the application must allow it exactly when
the matrix's scope says so (OWN: own and shared objects; ALL: every object; NONE: never).

Who acts: one user per role, of the landlord LMH (tenancy staff, secretary, steering, data protection)
or of the association EOLE (referent, coordinator: the social-work roles).
The three situations, from that user's side:
- own: an object of the user's organisation only (a household of LMH proposed by LMH for landlord
  roles; a household EOLE proposed and accompanies, at another landlord, for EOLE's social workers);
- other: an object of another organisation of the same kind (the landlord Partenord for landlord
  roles; the association AFEJI for social workers);
- shared: a household proposed by the landlord LMH and accompanied by the association EOLE, the
  « own » of both sides (and the committee session of LMH to which EOLE is convened).

Allowed means the page shows the object (or the file is served, or a POST redirects and the database
holds the change); denied means 403 or 404, and for a POST nothing written at all (row counts of every
table, audit trail included). A form that refuses an organisation the user may not act for (200 with
the field's error) is a denial too.
"""

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.enums import AccessAction, Role
from accounts.matrix import ALL, MATRIX, OWN, scope
from accounts.models import AccessLog, Organisation, User
from accounts.perms import SOCIAL_WORK_ROLES
from committee.enums import SessionStatus
from committee.models import Minutes
from households.enums import HouseholdStatus, HousingSituation, Relation, Track
from households.models import Household, ProcedureEvent, SituationReport
from measures.models import Contact
from tests.accounts.factories import member
from tests.committee.factories import AttendeeFactory, SessionFactory
from tests.committee.factories import ProgrammeFactory as CommitteeProgrammeFactory
from tests.conftest import VerifiedClient
from tests.finance.factories import ProgrammeFactory as FinanceProgrammeFactory
from tests.households.factories import HouseholdFactory, PersonFactory, days_ago
from tests.matrix.support import DENIED, body, changed_tables, pdf_text, row_counts
from tests.measures.factories import PDF_BYTES, ContactFactory, DocumentFactory, MeasureFactory

pytestmark = pytest.mark.django_db

# The six roles of the matrix, in the order of the Role enumeration.
ROLES = list(Role.values)
SITUATIONS = ["own", "other", "shared"]


# Who acts, and on what


@dataclass
class World:
    client: VerifiedClient
    user: User
    role: str
    situation: str
    lmh: Organisation
    partenord: Organisation
    eole: Organisation
    afeji: Organisation

    @property
    def social_worker(self) -> bool:
        return self.role in SOCIAL_WORK_ROLES

    @property
    def mine(self) -> Organisation:
        return self.eole if self.social_worker else self.lmh

    @property
    def theirs(self) -> Organisation:
        return self.afeji if self.social_worker else self.partenord

    def parties(self) -> tuple[Organisation, Organisation, Organisation]:
        """(landlord, proposed by, accompanying association) of the situation's household."""
        if self.situation == "shared":
            return self.lmh, self.lmh, self.eole
        if self.social_worker and self.situation == "own":
            return self.partenord, self.eole, self.eole
        if self.social_worker:
            return self.lmh, self.afeji, self.afeji
        # A landlord's own household is accompanied by AFEJI: LMH's, not shared with the user's side.
        if self.situation == "own":
            return self.lmh, self.lmh, self.afeji
        return self.partenord, self.partenord, self.afeji

    @property
    def marker(self) -> str:
        return f"MX-{self.situation.upper()}"


def make_household(world: World) -> Household:
    landlord, proposer, operator = world.parties()
    household = HouseholdFactory(
        reference=f"F-{world.marker}",
        name=f"Famille Matrice {world.situation}",
        landlord=landlord,
        proposed_by=proposer,
        operator=operator,
        track=Track.MAINTIEN if proposer.is_landlord else Track.ACCES,
        housing_situation=HousingSituation.LMH_TENANT if proposer.is_landlord else HousingSituation.CHRS,
        status=HouseholdStatus.ACCOMPANIED,
    )
    PersonFactory(household=household, last_name="Matrice", first_names="Lou")
    return household


def make_measure(world: World):
    return MeasureFactory(active=True, household=make_household(world))


def make_session(world: World, **fields):
    """A committee session of the situation's landlord with its own people convened, and the
    association of the situation convened too (EOLE to LMH's session when shared)."""
    landlord = world.parties()[0]
    session = SessionFactory(
        programme=CommitteeProgrammeFactory(landlord=landlord), place=f"Salle {world.marker}", **fields
    )
    AttendeeFactory(session=session, organisation=landlord)
    convened = world.eole if world.situation == "shared" else None
    if world.social_worker and world.situation != "shared":
        convened = world.mine if world.situation == "own" else world.theirs
    if convened is not None:
        AttendeeFactory(session=session, organisation=convened)
    return session


def make_programme(world: World):
    return FinanceProgrammeFactory(landlord=world.parties()[0], name=f"Programme {world.marker}")


# What « allowed » and « denied » look like


def shows(response, *markers: str) -> bool:
    """A read: allowed when the page (or file) is served and holds the object; denied on 403/404."""
    if response.status_code in DENIED:
        return False
    assert response.status_code == 200, f"neither served nor refused: HTTP {response.status_code}"
    content = body(response)
    text = pdf_text(content) if content.startswith(b"%PDF-") else content.decode()
    missing = [marker for marker in markers if marker not in text]
    assert not missing, f"served without the object ({missing} missing)"
    return True


def posts(world: World, url: str, data: dict, *, done: Callable[[], bool], form_may_refuse: bool = False) -> bool:
    """A write: allowed when it redirects with the change made; denied on 403/404 (or a form error
    when `form_may_refuse`), with not a single row written."""
    before = row_counts()
    response = world.client.post(url, data)
    if response.status_code == 302:
        assert done(), f"redirected to {response['Location']} as after a success, but the change is not there"
        return True
    if form_may_refuse and response.status_code == 200:
        errors = response.context["form"].errors
        assert errors, "the form was shown again without any error"
    else:
        assert response.status_code in DENIED, f"neither done nor refused: HTTP {response.status_code}"
    assert not changed_tables(before, row_counts()), "refused, yet rows were written"
    return False


def yesterday() -> str:
    return days_ago(1).isoformat()


# (object type, action) → how to do it through its URL; returns whether the application allowed it.
ACTIONS: dict[tuple[str, str], Callable[[World], bool]] = {}


def performs(object_type: str, action: str):
    def register(function):
        ACTIONS[(object_type, action)] = function
        return function

    return register


@performs("household", "view")
def household_view(world):
    household = make_household(world)
    return shows(world.client.get(reverse("households:detail", args=[household.pk])), household.reference)


@performs("household", "edit")
def household_edit(world):
    household = make_household(world)
    data = {
        "name": "Famille Renommée",
        "proposed_on": household.proposed_on.isoformat(),
        "housing_situation": household.housing_situation,
    }
    return posts(
        world,
        reverse("households:edit", args=[household.pk]),
        data,
        done=lambda: Household.objects.get(pk=household.pk).name == "Famille Renommée",
    )


@performs("household", "report_situation")
def household_report_situation(world):
    household = make_household(world)
    data = {"household": household.pk, "organisation": world.lmh.pk, "poor_use": "on", "to_present": "on"}
    return posts(
        world,
        reverse("households:report"),
        data,
        done=lambda: SituationReport.objects.filter(household=household, reported_by=world.user).exists(),
    )


@performs("household", "propose_access")
def household_propose_access(world):
    """Creating an accès candidate on behalf of the user's organisation (own, and shared: to the
    landlord LMH) or of another organisation (other), for the situation's landlord."""
    landlord = world.parties()[0]
    proposer = world.theirs if world.situation == "other" else world.mine
    data = {
        "landlord": landlord.pk,
        "proposed_by": proposer.pk,
        "track": Track.ACCES,
        "name": "Famille Candidate",
        "proposed_on": yesterday(),
        "housing_situation": HousingSituation.CHRS,
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "1000",
        "people-0-last_name": "Candidat",
        "people-0-first_names": "Inès",
        "people-0-birth_date": "1990-04-02",
        "people-0-relation": Relation.HEAD,
    }
    return posts(
        world,
        reverse("households:create"),
        data,
        done=lambda: Household.objects.filter(name="Famille Candidate", proposed_by=proposer, track="acces").exists(),
        form_may_refuse=True,
    )


@performs("household", "record_procedure")
def household_record_procedure(world):
    household = make_household(world)
    data = {"kind": "ccapex_referral", "occurred_on": days_ago(3).isoformat(), "lease_terminated": "unknown"}
    return posts(
        world,
        reverse("households:procedure_add", args=[household.pk]),
        data,
        done=lambda: ProcedureEvent.objects.filter(household=household, kind="ccapex_referral").exists(),
    )


@performs("household", "history")
def household_history(world):
    household = make_household(world)
    url = reverse("households:detail", args=[household.pk]) + "?onglet=historique"
    return shows(world.client.get(url), household.reference, "Historique des modifications")


@performs("household", "gdpr_export")
def household_gdpr_export(world):
    household = make_household(world)
    response = world.client.get(reverse("household_export", args=[household.pk]))
    if response.status_code in DENIED:
        return False
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert household.reference in archive.read("LISEZMOI.txt").decode()
    return True


@performs("measure", "view")
def measure_view(world):
    measure = make_measure(world)
    return shows(world.client.get(reverse("measures:detail", args=[measure.pk])), measure.household.reference)


@performs("measure", "work")
def measure_work(world):
    measure = make_measure(world)
    data = {
        "on": yesterday(),
        "kind": "phone",
        "duration_minutes": "20",
        "with_household": "on",
        "summary": "Appel de la matrice",
    }
    return posts(
        world,
        reverse("measures:contact_add", args=[measure.pk]),
        data,
        done=lambda: Contact.objects.filter(measure=measure, summary="Appel de la matrice").exists(),
    )


@performs("measure", "change_referent")
def measure_change_referent(world):
    measure = make_measure(world)
    successor = member(measure.operator, Role.REFERENT, full_name="Nouvelle Référente")
    data = {"referent": successor.pk, "on": yesterday(), "reason": "Réorganisation des secteurs"}
    return posts(
        world,
        reverse("measures:referent_change", args=[measure.pk]),
        data,
        done=lambda: measure.assignments.filter(referent=successor, end__isnull=True).exists(),
    )


@performs("measure", "read_confidential_note")
def measure_read_confidential_note(world):
    """The measure page may be shown without the note: only its presence is the « allowed »."""
    measure = make_measure(world)
    ContactFactory(measure=measure, confidential_note="Note confidentielle de la matrice")
    response = world.client.get(reverse("measures:detail", args=[measure.pk]))
    if response.status_code in DENIED:
        return False
    assert response.status_code == 200
    page = response.content.decode()
    assert measure.household.reference in page
    return "Note confidentielle de la matrice" in page


@performs("measure", "download_pdf")
def measure_download_pdf(world):
    measure = make_measure(world)
    return shows(world.client.get(reverse("measures:diagnostic_pdf", args=[measure.pk])), measure.household.reference)


def _document_download(world, *, confidential: bool) -> bool:
    document = DocumentFactory(household=make_household(world), confidential=confidential)
    response = world.client.get(reverse("measures:document", args=[document.pk]))
    if response.status_code in DENIED:
        return False
    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    return True


@performs("document", "download_confidential")
def document_download_confidential(world):
    return _document_download(world, confidential=True)


@performs("document", "download_shared")
def document_download_shared(world):
    return _document_download(world, confidential=False)


@performs("committee_session", "view")
def committee_session_view(world):
    session = make_session(world)
    return shows(world.client.get(reverse("committee:detail", args=[session.pk])), f"Salle {world.marker}")


@performs("committee_session", "run")
def committee_session_run(world):
    """Running a session: marking it held (the secretary's step after the meeting)."""
    session = make_session(world, past=True)
    return posts(
        world,
        reverse("committee:step", args=[session.pk, "tenue"]),
        {},
        done=lambda: type(session).objects.get(pk=session.pk).status == SessionStatus.HELD,
    )


@performs("committee_session", "download_minutes")
def committee_session_download_minutes(world):
    session = make_session(world, validated=True)
    pdf = b"%PDF-1.4\n% proces-verbal de la matrice\n%%EOF\n"
    secretary = member(session.programme.landlord, Role.SECRETARY, full_name="Secrétaire du comité")
    Minutes.objects.create(
        session=session, version=1, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), validated_by=secretary
    )
    response = world.client.get(reverse("committee:minutes", args=[session.pk, 1]))
    if response.status_code in DENIED:
        return False
    assert response.status_code == 200
    assert body(response) == pdf
    return True


@performs("finance", "dashboard")
def finance_dashboard(world):
    programme = make_programme(world)
    return shows(world.client.get(reverse("finance:dashboard"), {"programme": programme.pk}), programme.name)


@performs("finance", "statement")
def finance_statement(world):
    programme = make_programme(world)
    return shows(world.client.get(reverse("finance:statement"), {"programme": programme.pk}), programme.name)


@performs("access_log", "view")
def access_log_view(world):
    """A logged access to the situation's household: allowed when the log page lists it."""
    household = make_household(world)
    AccessLog.objects.create(
        user=member(world.lmh, Role.TENANCY_STAFF, full_name="Lecteur Journalisé"),
        action=AccessAction.VIEW_HOUSEHOLD,
        object_type="ménage",
        object_id=f"LOG-{world.marker}",
        household_id=household.pk,
        household_reference=household.reference,
        path=f"/menages/{household.pk}/",
    )
    response = world.client.get(reverse("access_log"))
    if response.status_code in DENIED:
        return False
    assert response.status_code == 200
    return f"LOG-{world.marker}" in response.content.decode()


# The generated cells


def allowed_by_matrix(object_type: str, action: str, role: str, situation: str) -> bool:
    cell = scope(object_type, action, role)
    return cell == ALL or (cell == OWN and situation != "other")


# Cells where the application departs from the matrix: each is a bug, reported with its fix.
KNOWN_BUGS: dict[str, str] = {}


def cells():
    for object_type, actions in MATRIX.items():
        for action in actions:
            for role in ROLES:
                for situation in SITUATIONS:
                    test_id = f"{object_type}-{action}-{role}-{situation}"
                    marks = (
                        [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[test_id])] if test_id in KNOWN_BUGS else []
                    )
                    yield pytest.param(object_type, action, role, situation, id=test_id, marks=marks)


@pytest.fixture
def world_for(landlord, other_landlord, association, other_association):
    def build(role: str, situation: str) -> World:
        organisation = association if role in SOCIAL_WORK_ROLES else landlord
        user = member(organisation, role, full_name=f"Personne {Role(role).label}")
        client = VerifiedClient()
        client.force_login(user)
        return World(client, user, role, situation, landlord, other_landlord, association, other_association)

    return build


@pytest.mark.parametrize(("object_type", "action", "role", "situation"), list(cells()))
def test_permission_matrix(world_for, object_type, action, role, situation):
    perform = ACTIONS.get((object_type, action))
    assert perform is not None, f"no URL mapped for {object_type} · {action}: add one to ACTIONS"

    allowed = perform(world_for(role, situation))

    expected = allowed_by_matrix(object_type, action, role, situation)
    assert allowed is expected, (
        f"{Role(role).label} on {object_type} · {action} ({situation}): the matrix says "
        f"« {scope(object_type, action, role)} », the application {'allowed' if allowed else 'refused'} it"
    )


def test_every_action_of_the_matrix_is_mapped_to_a_url():
    in_matrix = {(object_type, action) for object_type, actions in MATRIX.items() for action in actions}

    assert set(ACTIONS) == in_matrix, (
        f"without a URL: {sorted(in_matrix - set(ACTIONS))}; mapped but not in the matrix: "
        f"{sorted(set(ACTIONS) - in_matrix)}"
    )


def test_every_role_of_the_matrix_is_exercised():
    in_matrix = {role for actions in MATRIX.values() for cells in actions.values() for role in cells}

    assert in_matrix <= set(ROLES)
    assert len(ROLES) == 6


def test_known_bugs_name_real_cells():
    ids = {param.id for param in cells()}

    assert set(KNOWN_BUGS) <= ids


def test_the_three_situations_are_what_they_claim(world_for):
    """The fixtures, checked once: own is the user's side only, other is the other side's, and shared
    belongs to both the landlord LMH and the association EOLE."""
    landlord_own = world_for(Role.TENANCY_STAFF, "own").parties()
    partner_other = world_for(Role.REFERENT, "other").parties()
    shared = world_for(Role.REFERENT, "shared").parties()

    assert [o.short_name for o in landlord_own[:2]] == ["LMH", "LMH"]
    assert {o.short_name for o in partner_other} == {"LMH", "AFEJI"}
    assert [o.short_name for o in shared] == ["LMH", "LMH", "EOLE"]
