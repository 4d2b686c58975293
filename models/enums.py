"""Statuses and kinds. Values are stored; Vietnamese labels live in app.labels."""

from __future__ import annotations

import enum


class UnitScheme(enum.StrEnum):
    PRE2025 = "pre2025"  # three-level system until 30/06/2025
    Y2025 = "2025"  # two-level system from 01/07/2025


class UnitLevel(enum.StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    HAMLET = "hamlet"


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class TeamRole(enum.StrEnum):
    LEADER = "leader"
    DEPUTY = "deputy"
    MEMBER = "member"


class MemberKind(enum.StrEnum):
    COMMUNE_LEADER = "commune_leader"
    CIVIL_SERVANT = "civil_servant"
    MASS_ORGANISATION = "mass_organisation"
    HAMLET_HEAD = "hamlet_head"
    TELECOM_STAFF = "telecom_staff"
    YOUTH_UNION = "youth_union"
    OTHER = "other"


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    OPEN = "open"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class SessionMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class EnrolmentStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


class AttendanceMethod(enum.StrEnum):
    MANUAL = "manual"
    SCAN = "scan"
    IMPORT = "import"


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


class UserRole(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    TRAINER = "trainer"
