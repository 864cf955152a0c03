"""The convocation: an e-mail to each attendee with the agenda, and the session as an .ics file."""

from datetime import UTC, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

SESSION_LENGTH = timedelta(hours=2)


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF and a space,
    without cutting a UTF-8 character."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def ics(session) -> str:
    """An RFC 5545 event; times in UTC so that every calendar places it right."""
    start = session.starts_at.astimezone(UTC)
    end = start + SESSION_LENGTH
    stamp = timezone.now().astimezone(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Accompagnement LMH//Comité//FR",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:comite-{session.pk}@accompagnement",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{end:%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{_ics_escape(f'Comité d’orientation et de suivi n° {session.number}')}",
        f"LOCATION:{_ics_escape(session.place)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def agenda_text(session) -> str:
    lines = []
    for item in session.items.select_related("household"):
        lines.append(
            f"{item.position}. {item.household.reference} ({item.household.initials}) — {item.get_kind_display()}"
        )
    return "\n".join(lines) or "(ordre du jour à venir)"


def send(session) -> int:
    """One message per attendee with an address; returns how many were sent."""
    local = timezone.localtime(session.starts_at)
    subject = f"Convocation : comité d'orientation et de suivi n° {session.number} du {local:%d/%m/%Y}"
    calendar = ics(session)
    sent = 0
    for attendee in session.attendees.exclude(email=""):
        body = (
            f"Bonjour {attendee.name},\n\n"
            f"Vous êtes convoqué(e) au comité d'orientation et de suivi n° {session.number} "
            f"le {local:%d/%m/%Y} à {local:%H} h {local:%M}, {session.place}.\n\n"
            f"Ordre du jour :\n{agenda_text(session)}\n\n"
            "Les ménages sont désignés par leur référence et leurs initiales.\n"
            "Le fichier joint ajoute la séance à votre agenda.\n\n"
            "Le secrétariat du comité"
        )
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [attendee.email])
        message.attach(f"comite-{session.number}.ics", calendar, "text/calendar")
        message.send()
        sent += 1
    return sent
