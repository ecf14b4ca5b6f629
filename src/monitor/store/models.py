"""SQLAlchemy models: the history of what every program's pages said.

Sizes matter here: a crawl of unchanged sites must add only a few small rows
per program. So page text is stored once per distinct content (`texts`, keyed
by hash), URLs once (`urls`), verdicts once per distinct verdict
(`verdicts`), and each check is a row of small integers (`page_fetches`,
`assessments`) keyed by the crawl. Rare things (change events, stance
periods) carry their detail in full.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware datetimes")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Program(Base):
    """A watched program: its config as last crawled, and its change-detection state."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    institution: Mapped[str] = mapped_column(Text)
    specialty: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    # The stance as last reported (baseline or last change): what changes compare to.
    # (No foreign key: programs and stance_periods would refer to each other.)
    current_period_id: Mapped[int | None] = mapped_column(Integer)
    # The last completed check, whatever it found.
    last_crawl_id: Mapped[int | None] = mapped_column(ForeignKey("crawls.id"))
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_fetch_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Consecutive completed crawls in which the known stance was missing / no page answered.
    missing_streak: Mapped[int] = mapped_column(Integer, default=0)
    fail_streak: Mapped[int] = mapped_column(Integer, default=0)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    # Alternating between stances it held in its last crawls (see detect/changes.py).
    flapping: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Crawl(Base):
    __tablename__ = "crawls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # running | completed | aborted | failed
    outcome: Mapped[str] = mapped_column(String(16), default="running")
    reason: Mapped[str | None] = mapped_column(Text)
    config_path: Mapped[str | None] = mapped_column(Text)
    program_count: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int] = mapped_column(Integer, default=0)


class Url(Base):
    __tablename__ = "urls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)


class PageText(Base):
    """Extracted page text, written once per distinct content."""

    __tablename__ = "texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PageValidator(Base):
    """What the last full read of a URL found, so the next crawl can skip reading it again.

    The validators (ETag, Last-Modified) go back to the server as If-None-Match
    / If-Modified-Since; the SHA-256 of the body catches servers that send
    none. A 304, or the same body, reuses the stored text and page verdict
    when they came from the installed classifier. Updated in place: one row
    per URL, not per crawl.
    """

    __tablename__ = "page_validators"

    url_id: Mapped[int] = mapped_column(ForeignKey("urls.id"), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_sha256: Mapped[str] = mapped_column(String(64))
    text_id: Mapped[int] = mapped_column(ForeignKey("texts.id"))
    classifier_version: Mapped[str] = mapped_column(String(32))
    # The page's own verdict (before combining pages), with its weak axes.
    verdict: Mapped[dict] = mapped_column(JSON)
    # The policy-like links it led to, best first: followed again after a 304.
    links: Mapped[list] = mapped_column(JSON, default=list)


class Document(Base):
    """What a document's bytes (a PDF) read as, so an unchanged one is not parsed again.

    Keyed by the SHA-256 of the bytes and the version of the reader that read
    them; holds the extracted text (in `texts`) or why it could not be read.
    """

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256", "reader"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    reader: Mapped[str] = mapped_column(String(40))
    text_id: Mapped[int | None] = mapped_column(ForeignKey("texts.id"))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PageFetch(Base):
    """One page fetched for one program in one crawl: the small check row."""

    __tablename__ = "page_fetches"
    __table_args__ = {"sqlite_with_rowid": False}

    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    url_id: Mapped[int] = mapped_column(ForeignKey("urls.id"), primary_key=True)
    status: Mapped[int | None] = mapped_column(SmallInteger)
    text_id: Mapped[int | None] = mapped_column(ForeignKey("texts.id"))
    own: Mapped[bool] = mapped_column(Boolean, default=True)
    error: Mapped[str | None] = mapped_column(Text)


class Verdict(Base):
    """A distinct verdict (stance and evidence), shared by every assessment that found it."""

    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(16))
    h1b: Mapped[str] = mapped_column(String(8))
    j1: Mapped[str] = mapped_column(String(8))
    step3_required: Mapped[bool | None] = mapped_column(Boolean)
    evidence: Mapped[list] = mapped_column(JSON)
    # `monitor.classify.classifier_version()` of the reading that produced it
    # (null for verdicts stored before versions were recorded).
    classifier_version: Mapped[str | None] = mapped_column(String(32))


class Assessment(Base):
    """A program's verdict from one crawl (null verdict: no page could be fetched)."""

    __tablename__ = "assessments"
    __table_args__ = {"sqlite_with_rowid": False}

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"), primary_key=True)
    verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"))
    error: Mapped[str | None] = mapped_column(Text)


class StancePeriod(Base):
    """A span of time in which a program's reported stance and wording held."""

    __tablename__ = "stance_periods"
    __table_args__ = (Index("ix_stance_periods_program", "program_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    verdict_id: Mapped[int] = mapped_column(ForeignKey("verdicts.id"))
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChangeEvent(Base):
    __tablename__ = "change_events"
    __table_args__ = (
        Index("ix_change_events_detected", "detected_at"),
        Index("ix_change_events_program", "program_id", "detected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"))
    # stance | statement_missing | wording | unreachable | recovered | reread
    kind: Mapped[str] = mapped_column(String(20))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    evidence_before: Mapped[list] = mapped_column(JSON, default=list)
    evidence_after: Mapped[list] = mapped_column(JSON, default=list)
    url: Mapped[str | None] = mapped_column(Text)
    before_verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"))
    after_verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"))


class Subscription(Base):
    """Who hears about which changes, through which Apprise URL.

    `url` holds the Apprise URL with its secrets: it is shown only masked. A
    subscription without a URL reaches the services of the Apprise config
    file whose tag is its name. Empty filter lists match everything.
    """

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    programs: Mapped[list] = mapped_column(JSON, default=list)
    specialties: Mapped[list] = mapped_column(JSON, default=list)
    institutions: Mapped[list] = mapped_column(JSON, default=list)
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Removed subscriptions are kept so that the delivery log still names them.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """One change event owed to one subscription; written with the event.

    status: pending | sent | gave_up | cancelled (its subscription was
    removed). A sender claims a row by setting `claimed_by` and
    `claimed_until` in one conditional UPDATE; a claim whose lease ran out
    (its sender died) can be taken again.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("event_id", "subscription_id", name="uq_outbox_event_subscription"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("change_events.id"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"))
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class DeliveryAttempt(Base):
    """One try at sending an outbox row, with Apprise's reason (secrets masked)."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (Index("ix_delivery_attempts_outbox", "outbox_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str | None] = mapped_column(Text)
# -- evidence of real H-1B use (monitor.evidence) ----------------------------


class EvidenceImport(Base):
    """One run of `evidence import` over one downloaded file."""

    __tablename__ = "evidence_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # uscis | lca
    kind: Mapped[str] = mapped_column(String(8))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_kept: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UscisFiling(Base):
    """One line of a USCIS H-1B Employer Data Hub export: an employer's petitions in a year.

    Keyed by what identifies the line in USCIS's own data, so importing a file
    again (or the same year in the newer layout) replaces, never adds.
    """

    __tablename__ = "uscis_filings"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "employer", "tax_id", "city", "state", "zip", "naics",
                         name="uq_uscis_filings_line"),
        Index("ix_uscis_filings_name_key", "name_key", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(SmallInteger)
    employer: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)
    tax_id: Mapped[str] = mapped_column(String(32), default="")
    naics: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    city_key: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(8), default="")
    zip: Mapped[str] = mapped_column(String(16), default="")
    initial_approvals: Mapped[int] = mapped_column(Integer, default=0)
    initial_denials: Mapped[int] = mapped_column(Integer, default=0)
    continuing_approvals: Mapped[int] = mapped_column(Integer, default=0)
    continuing_denials: Mapped[int] = mapped_column(Integer, default=0)
    # The import that last wrote the line (several lines with one key in one file add up).
    import_id: Mapped[int] = mapped_column(ForeignKey("evidence_imports.id"))


class LcaCase(Base):
    """An H-1B Labor Condition Application for a physician trainee, once per case number."""

    __tablename__ = "lca_cases"
    __table_args__ = (
        Index("ix_lca_cases_name_key", "name_key"),
        Index("ix_lca_cases_trade_key", "trade_key"),
    )

    case_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(SmallInteger)
    # certified | certified_withdrawn | denied | withdrawn
    case_status: Mapped[str] = mapped_column(String(24))
    received_date: Mapped[date | None] = mapped_column(Date)
    decision_date: Mapped[date | None] = mapped_column(Date)
    job_title: Mapped[str] = mapped_column(Text)
    soc_code: Mapped[str] = mapped_column(String(16), default="")
    soc_title: Mapped[str] = mapped_column(Text, default="")
    workers: Mapped[int] = mapped_column(Integer, default=1)
    employer: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)
    trade_name: Mapped[str] = mapped_column(Text, default="")
    trade_key: Mapped[str] = mapped_column(Text, default="")
    employer_city: Mapped[str] = mapped_column(Text, default="")
    employer_city_key: Mapped[str] = mapped_column(Text, default="")
    employer_state: Mapped[str] = mapped_column(String(8), default="")
    worksite_city: Mapped[str] = mapped_column(Text, default="")
    worksite_city_key: Mapped[str] = mapped_column(Text, default="")
    worksite_state: Mapped[str] = mapped_column(String(8), default="")
    import_id: Mapped[int] = mapped_column(ForeignKey("evidence_imports.id"))


class EmployerMatch(Base):
    """An employer (by name key, and city/state when given) counted as a program's.

    Written by `evidence match` from the config, so every reader (status,
    the web page, alerts) sees the same matches without loading the config.
    """

    __tablename__ = "employer_matches"
    __table_args__ = {"sqlite_with_rowid": False}

    program_slug: Mapped[str] = mapped_column(String(200), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    # '' means any city / any state.
    city_key: Mapped[str] = mapped_column(String(120), primary_key=True, default="")
    state: Mapped[str] = mapped_column(String(8), primary_key=True, default="")
    # config (an employer_names override) | name (matched by name and place)
    source: Mapped[str] = mapped_column(String(8))
    employer: Mapped[str] = mapped_column(Text)
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DaemonCycle(Base):
    """One cycle of `visa-monitor run`: what it did, for `status` and the operator."""

    __tablename__ = "daemon_cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    crawl_id: Mapped[int | None] = mapped_column(ForeignKey("crawls.id"))
    # completed | aborted | failed (the crawl's outcome, or failed when it could not run)
    outcome: Mapped[str] = mapped_column(String(16))
    programs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    alerts_sent: Mapped[int] = mapped_column(Integer, default=0)
    alerts_pending: Mapped[int] = mapped_column(Integer, default=0)
    # Why the cycle failed, or the config error it ran past (never a secret).
    note: Mapped[str | None] = mapped_column(Text)
    # The operator notices sent in this cycle (their kinds).
    notices: Mapped[list] = mapped_column(JSON, default=list)
