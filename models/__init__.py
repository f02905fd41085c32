"""The registry's data model. `db` is the Flask-SQLAlchemy handle; models are re-exported here."""
from flask_sqlalchemy import SQLAlchemy

from .base import Base

db = SQLAlchemy(model_class=Base)

from .api_token import ApiToken, IdempotencyKey  # noqa: E402
from .appointment import Appointment  # noqa: E402
from .attachment import Attachment  # noqa: E402
from .audit import AuditLog  # noqa: E402
from .channels import Channel, ChannelCount, ChannelPost  # noqa: E402
from .conference import Conference, ConferenceAttendance, ConferencePoint  # noqa: E402
from .documents import Distribution, Document, document_files  # noqa: E402
from .enums import (  # noqa: E402
    AttachmentKind,
    ChannelPlatform,
    CourseKind,
    DatePrecision,
    DeliveryForm,
    DisciplineSystem,
    DocumentKind,
    EndReason,
    EvaluationRating,
    Gender,
    Level,
    OrgLevel,
    PaymentKind,
    Role,
    TrainingResult,
    UnitKind,
    UserRole,
)
from .evaluation import Evaluation  # noqa: E402
from .exemplary import ExemplaryModel, exemplary_model_persons  # noqa: E402
from .figures import DataVersion, FigureCache  # noqa: E402
from .import_batch import ImportBatch, ImportFile, ImportRow, ImportStatus  # noqa: E402
from .payments import Payment, Rate  # noqa: E402
from .person import Person  # noqa: E402
from .rate_limit import RateLimit  # noqa: E402
from .records import Activity, Commendation, Discipline  # noqa: E402
from .reference import RefItem  # noqa: E402
from .reorganisation import Reorganisation, ReorganiseJob, SuccessorReview  # noqa: E402
from .saved_list import SavedList  # noqa: E402
from .settings import Setting  # noqa: E402
from .stored_file import StoredFile  # noqa: E402
from .training import Attendance, Course  # noqa: E402
from .transfer import TransferRequest, TransferStatus  # noqa: E402
from .unit import Unit, UnitFormerParent, unit_successors  # noqa: E402
from .user import User  # noqa: E402

__all__ = [
    "db",
    "Base",
    "Appointment",
    "AuditLog",
    "DatePrecision",
    "EndReason",
    "Gender",
    "Level",
    "Person",
    "RateLimit",
    "RefItem",
    "Reorganisation",
    "ReorganiseJob",
    "SuccessorReview",
    "Role",
    "Unit",
    "UnitKind",
    "User",
    "UserRole",
    "unit_successors",
    "Activity",
    "Attendance",
    "Commendation",
    "Course",
    "CourseKind",
    "DeliveryForm",
    "Discipline",
    "DisciplineSystem",
    "DataVersion",
    "FigureCache",
    "ImportBatch",
    "ImportFile",
    "ImportRow",
    "ImportStatus",
    "OrgLevel",
    "Payment",
    "PaymentKind",
    "Rate",
    "SavedList",
    "Setting",
    "ApiToken",
    "IdempotencyKey",
    "Attachment",
    "AttachmentKind",
    "Channel",
    "ChannelCount",
    "ChannelPlatform",
    "ChannelPost",
    "Conference",
    "ConferenceAttendance",
    "ConferencePoint",
    "Distribution",
    "Document",
    "DocumentKind",
    "Evaluation",
    "EvaluationRating",
    "ExemplaryModel",
    "StoredFile",
    "document_files",
    "exemplary_model_persons",
    "TrainingResult",
    "TransferRequest",
    "TransferStatus",
    "UnitFormerParent",
]
