"""Possible duplicates of a household about to be created: same person (name and birth date) or
someone already living in the same dwelling."""

from dataclasses import dataclass

from django.db.models import Q

from households.models import Household


@dataclass
class Duplicate:
    reference: str | None  # None when the user may not see that household
    reason: str


def possible_duplicates(user, *, people, landlord, dwelling=None) -> list[Duplicate]:
    same_person = Q()
    for person in people:
        if person.last_name and person.birth_date:
            # Accents aside, as the search: « TRAORE » is « Traoré ».
            same_person |= Q(
                people__last_name__unaccent__iexact=person.last_name.strip(), people__birth_date=person.birth_date
            )
    found: dict[int, Duplicate] = {}
    visible = set(Household.objects.visible_to(user).values_list("pk", flat=True))
    if same_person:
        for pk, reference in Household.objects.filter(same_person).values_list("pk", "reference").distinct():
            found[pk] = Duplicate(reference if pk in visible else None, "même nom et même date de naissance")
    if dwelling is not None:
        current = Household.objects.filter(tenancies__dwelling=dwelling, tenancies__end__isnull=True)
        for pk, reference in current.values_list("pk", "reference"):
            found.setdefault(pk, Duplicate(reference if pk in visible else None, "occupe déjà ce logement"))
    return list(found.values())
