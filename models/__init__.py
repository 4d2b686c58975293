"""SQLAlchemy ORM classes: the schema of TapHuan's record."""

from models.attendance import Attendance, Enrolment
from models.audit import AuditChainHead, AuditEntry
from models.base import Base
from models.certificates import (
    Certificate,
    CertificateSignature,
    RegisterCounter,
    SerialCounter,
)
from models.courses import Course, CourseTopic, Session, SessionTopic, SessionTrainer, Topic, Venue
from models.enums import (
    AttendanceMethod,
    AttendanceStatus,
    CertificateStatus,
    CourseStatus,
    EnrolmentStatus,
    Gender,
    MemberKind,
    SessionMode,
    TeamRole,
    UnitLevel,
    UnitScheme,
    UserRole,
)
from models.facts import ALL_TOPICS, SessionFact, TrainingCount, TrainingFact
from models.people import Person, PersonMerge
from models.settings import Setting
from models.sign_sheets import SignSheet, SignSheetRow
from models.teams import Team, TeamMembership
from models.units import Unit, UnitLineage
from models.users import User

__all__ = [
    "ALL_TOPICS",
    "Attendance",
    "AttendanceMethod",
    "AttendanceStatus",
    "AuditChainHead",
    "AuditEntry",
    "Base",
    "Certificate",
    "CertificateSignature",
    "CertificateStatus",
    "Course",
    "CourseStatus",
    "CourseTopic",
    "Enrolment",
    "EnrolmentStatus",
    "Gender",
    "MemberKind",
    "Person",
    "PersonMerge",
    "RegisterCounter",
    "SerialCounter",
    "Session",
    "SessionFact",
    "SessionMode",
    "SessionTopic",
    "SessionTrainer",
    "Setting",
    "SignSheet",
    "SignSheetRow",
    "Team",
    "TeamMembership",
    "TeamRole",
    "Topic",
    "TrainingCount",
    "TrainingFact",
    "Unit",
    "UnitLevel",
    "UnitLineage",
    "UnitScheme",
    "User",
    "UserRole",
    "Venue",
]
