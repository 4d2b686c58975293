"""iCalendar (.ics) files that Outlook and phone calendars import (RFC 5545)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

VIETNAM = timedelta(hours=7)  # no daylight saving


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    starts_at: datetime  # local Vietnamese wall-clock time
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def _escape(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continued with a space, never splitting a character."""
    out, current = [], ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _utc(local: datetime) -> str:
    return (local - VIETNAM).strftime("%Y%m%dT%H%M%SZ")


def render_ics(events: list[IcsEvent], name: str, now: datetime | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per session; times in UTC so every client agrees."""
    stamp = now or datetime.now(UTC).replace(tzinfo=None) + VIETNAM
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//TapHuan//Lich tap huan//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(e.starts_at)}",
            f"DTEND:{_utc(e.ends_at)}",
            f"SUMMARY:{_escape(e.summary)}",
        ]
        if e.location:
            lines.append(f"LOCATION:{_escape(e.location)}")
        if e.description:
            lines.append(f"DESCRIPTION:{_escape(e.description)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode("utf-8")
