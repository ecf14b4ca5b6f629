"""Reading the store: what the commands show. Nothing here writes.

Every function returns plain dicts with the keys of the `--json` outputs, so
the command line only formats them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, exists, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from monitor.store import models
from monitor.store.writer import Store


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _verdict_fields(verdict: models.Verdict | None) -> dict:
    if verdict is None:
        return {"category": None, "h1b": None, "j1": None, "step3_required": None,
                "evidence": []}
    return {
        "category": verdict.category,
        "h1b": verdict.h1b,
        "j1": verdict.j1,
        "step3_required": verdict.step3_required,
        "evidence": list(verdict.evidence),
    }


def status(store: Store, program_ids: list[str] | None = None) -> list[dict]:
    """The reported stance of every program with the outcome of its last check."""
    with store.sessions() as session:
        period = aliased(models.StancePeriod)
        query = (
            select(models.Program, models.Verdict)
            .outerjoin(period, period.id == models.Program.current_period_id)
            .outerjoin(models.Verdict, models.Verdict.id == period.verdict_id)
            .order_by(models.Program.slug)
        )
        if program_ids:
            query = query.where(models.Program.slug.in_(program_ids))
        return [
            {
                "program_id": program.slug,
                "name": program.name,
                **_verdict_fields(verdict),
                "checked_at": _iso(program.last_checked_at),
                "fetch_ok": bool(program.last_fetch_ok),
                "error": program.last_error,
                "flapping": bool(program.flapping),
            }
            for program, verdict in session.execute(query)
            if program.last_checked_at is not None
        ]


def program_ids(store: Store) -> list[str]:
    """The id of every program the database knows, sorted."""
    with store.sessions() as session:
        return list(session.scalars(select(models.Program.slug).order_by(models.Program.slug)))


def crawl_report(store: Store, crawl_id: int) -> list[dict]:
    """What one crawl found for each program (not yet confirmed by change detection)."""
    with store.sessions() as session:
        crawl = session.get(models.Crawl, crawl_id)
        query = (
            select(models.Program, models.Assessment, models.Verdict)
            .join(models.Assessment, models.Assessment.program_id == models.Program.id)
            .outerjoin(models.Verdict, models.Verdict.id == models.Assessment.verdict_id)
            .where(models.Assessment.crawl_id == crawl_id)
            .order_by(models.Program.slug)
        )
        return [
            {
                "program_id": program.slug,
                "name": program.name,
                **_verdict_fields(verdict),
                "checked_at": _iso(crawl.finished_at),
                "fetch_ok": verdict is not None,
                "error": assessment.error,
                # The program's state after this crawl's detection (see `status`).
                "flapping": bool(program.flapping),
            }
            for program, assessment, verdict in session.execute(query)
        ]


def program_history(store: Store, program_id: str | None = None) -> list[dict]:
    """The stance timeline: one entry per reported period, of one program or all."""
    with store.sessions() as session:
        query = (
            select(models.StancePeriod, models.Verdict, models.Program)
            .join(models.Verdict, models.Verdict.id == models.StancePeriod.verdict_id)
            .join(models.Program, models.Program.id == models.StancePeriod.program_id)
            .order_by(models.Program.slug, models.StancePeriod.started_at,
                      models.StancePeriod.id)
        )
        if program_id is not None:
            query = query.where(
                models.StancePeriod.program_id == _program(session, program_id).id
            )
        rows = session.execute(query).all()
        flips = _flapping_events(session, {program.id for _, _, program in rows})
        return [
            {
                "program_id": program.slug,
                "name": program.name,
                "from": _iso(period.started_at),
                "until": _iso(period.ended_at),
                **_verdict_fields(verdict),
                # Flips read while this stance was the reported one (not alerted).
                "flapping": [
                    {"detected_at": _iso(at), "read": after}
                    for at, after in flips.get(program.id, [])
                    if at >= period.started_at and (period.ended_at is None
                                                    or at < period.ended_at)
                ],
            }
            for period, verdict, program in rows
        ]


def _flapping_events(session: Session, program_ids: set[int]) -> dict[int, list]:
    """Program id -> [(detected_at, the stance read)] of its `flapping` events."""
    found: dict[int, list] = {}
    if not program_ids:
        return found
    rows = session.execute(
        select(models.ChangeEvent.program_id, models.ChangeEvent.detected_at,
               models.ChangeEvent.after)
        .where(models.ChangeEvent.kind == "flapping",
               models.ChangeEvent.program_id.in_(program_ids))
        .order_by(models.ChangeEvent.detected_at, models.ChangeEvent.id)
    )
    for program_id, at, after in rows:
        found.setdefault(program_id, []).append((at, after))
    return found


def changes(
    store: Store,
    since: datetime | None = None,
    kind: str | None = None,
    program_id: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict]:
    """Change events, newest first (`offset` skips that many, for pages)."""
    with store.sessions() as session:
        query = (
            select(models.ChangeEvent, models.Program)
            .join(models.Program, models.Program.id == models.ChangeEvent.program_id)
            .order_by(models.ChangeEvent.detected_at.desc(), models.ChangeEvent.id.desc())
        )
        if since is not None:
            query = query.where(models.ChangeEvent.detected_at >= since)
        if kind is not None:
            query = query.where(models.ChangeEvent.kind == kind)
        if program_id is not None:
            query = query.where(models.ChangeEvent.program_id == _program(session, program_id).id)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return [
            {
                "program_id": program.slug,
                "name": program.name,
                "kind": event.kind,
                "detected_at": _iso(event.detected_at),
                "before": event.before,
                "after": event.after,
                "evidence_before": event.evidence_before,
                "evidence_after": event.evidence_after,
                "url": event.url,
            }
            for event, program in session.execute(query)
        ]


PROGRAM_SORTS = ("name", "institution", "specialty", "category", "h1b", "j1", "step3",
                 "checked", "changed")
# The order in which values sort: most sponsorship first, no stance last.
_RANKS = {
    "category": ("h1b", "h1b_limited", "j1_only", "none", "unknown"),
    "h1b": ("yes", "limited", "no", "unknown"),
    "j1": ("yes", "no", "unknown"),
}


def program_page(
    store: Store,
    search: str | None = None,
    specialty: str | None = None,
    institution: str | None = None,
    category: str | None = None,
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> dict:
    """One page of the checked programs, filtered and sorted by the database.

    Returns {"programs": [...], "total", "page", "pages", "per_page"}; each
    program has the status fields (without evidence) plus institution,
    specialty, city and `changed_at` (when the reported stance or its wording
    last changed; None while it is still the first one seen).

    Three small queries keep it fast on many programs: a count, the ids of
    the page (sorting only narrow rows), then the page's details.
    """
    if sort not in PROGRAM_SORTS:
        raise ValueError(f"sort must be one of {', '.join(PROGRAM_SORTS)}")
    period = aliased(models.StancePeriod)
    filters = [models.Program.last_checked_at.is_not(None)]
    if search:
        filters.append(models.Program.name.ilike(f"%{_escape_like(search)}%", escape="\\"))
    if specialty:
        filters.append(models.Program.specialty == specialty)
    if institution:
        filters.append(models.Program.institution == institution)
    if category:
        filters.append(models.Verdict.category == category)

    def current(query):
        """The query joined to each program's reported period and verdict."""
        return (
            query.outerjoin(period, period.id == models.Program.current_period_id)
            .outerjoin(models.Verdict, models.Verdict.id == period.verdict_id)
        )

    with store.sessions() as session:
        count = select(func.count()).select_from(models.Program)
        total = session.scalar((current(count) if category else count).where(*filters))
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        ids = current(select(models.Program.id)).where(*filters)
        key = _changed_at(period) if sort == "changed" else _sort_key(sort)
        key = key.desc() if descending else key.asc()
        ids = ids.order_by(key.nulls_last(), models.Program.name, models.Program.slug)
        page_ids = list(session.scalars(ids.limit(per_page).offset((page - 1) * per_page)))
        programs = _program_rows(session, page_ids, period, current)
    return {"programs": programs, "total": total, "page": page, "pages": pages,
            "per_page": per_page}


def _program_rows(session: Session, ids: list[int], period, current) -> list[dict]:
    """The list rows of these programs, in this order."""
    if not ids:
        return []
    query = (
        current(select(models.Program, models.Verdict, _changed_at(period)))
        .where(models.Program.id.in_(ids))
    )
    found = {
        program.id: {
            "program_id": program.slug,
            "name": program.name,
            "institution": program.institution,
            "specialty": program.specialty,
            "city": program.city,
            **{k: v for k, v in _verdict_fields(verdict).items() if k != "evidence"},
            "checked_at": _iso(program.last_checked_at),
            "fetch_ok": bool(program.last_fetch_ok),
            "error": program.last_error,
            "changed_at": _iso(changed),
        }
        for program, verdict, changed in session.execute(query)
    }
    return [found[id_] for id_ in ids]


def _changed_at(period):
    """The start of the current period, unless it is the program's first.

    "Is there an earlier period" is one probe of the (program, start) index.
    """
    earlier = aliased(models.StancePeriod)
    has_earlier = exists().where(earlier.program_id == models.Program.id,
                                 earlier.started_at < period.started_at)
    return type_coerce(case((has_earlier, period.started_at), else_=None),
                       models.UTCDateTime())


def _sort_key(sort: str):
    columns = {
        # Names sort as people read them, whatever their case, on every backend.
        "name": func.lower(models.Program.name),
        "institution": func.lower(models.Program.institution),
        "specialty": func.lower(models.Program.specialty),
        "step3": models.Verdict.step3_required,
        "checked": models.Program.last_checked_at,
    }
    if sort in columns:
        return columns[sort]
    column = getattr(models.Verdict, sort)
    # No verdict (a program never assessed) ranks NULL, so it sorts last both ways.
    return case({value: rank for rank, value in enumerate(_RANKS[sort])}, value=column)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def data_version(store: Store) -> str:
    """Changes whenever a crawl finishes: a key for caching what was read before."""
    with store.sessions() as session:
        last, finished = session.execute(
            select(func.max(models.Crawl.id), func.max(models.Crawl.finished_at))
        ).one()
        return f"{last}:{_iso(finished)}"


def program_facets(store: Store) -> dict:
    """The values the program list can be filtered by, each sorted."""
    checked = models.Program.last_checked_at.is_not(None)
    with store.sessions() as session:
        def distinct(column) -> list[str]:
            return list(session.scalars(select(column).where(checked).distinct().order_by(column)))

        categories = set(session.scalars(
            select(models.Verdict.category)
            .join(models.StancePeriod, models.StancePeriod.verdict_id == models.Verdict.id)
            .join(models.Program, models.Program.current_period_id == models.StancePeriod.id)
            .distinct()
        ))
        return {
            "specialties": distinct(models.Program.specialty),
            "institutions": distinct(models.Program.institution),
            "categories": [c for c in _RANKS["category"] if c in categories],
        }


def program(store: Store, program_id: str) -> dict:
    """One program: its registry fields, its last check and its reported stance."""
    with store.sessions() as session:
        found = _program(session, program_id)
        verdict = None
        if found.current_period_id is not None:
            period = session.get(models.StancePeriod, found.current_period_id)
            verdict = session.get(models.Verdict, period.verdict_id)
        return {
            "program_id": found.slug,
            "name": found.name,
            "institution": found.institution,
            "specialty": found.specialty,
            "city": found.city,
            "url": found.url,
            **_verdict_fields(verdict),
            "checked_at": _iso(found.last_checked_at),
            "fetch_ok": bool(found.last_fetch_ok),
            "error": found.last_error,
        }


def program_timeline(store: Store, program_id: str) -> list[dict]:
    """Every reported period of one program, oldest first, with its policy text.

    Each entry is a `history` row plus "pages" ({url: text}, the pages that
    decided the verdict, as `diff` compares them).
    """
    with store.sessions() as session:
        found = _program(session, program_id)
        rows = session.execute(
            select(models.StancePeriod, models.Verdict)
            .join(models.Verdict, models.Verdict.id == models.StancePeriod.verdict_id)
            .where(models.StancePeriod.program_id == found.id)
            .order_by(models.StancePeriod.started_at, models.StancePeriod.id)
        ).all()
        return [
            {
                "program_id": found.slug,
                "name": found.name,
                "from": _iso(period.started_at),
                "until": _iso(period.ended_at),
                **_verdict_fields(verdict),
                "pages": _period_text(session, period)["pages"],
            }
            for period, verdict in rows
        ]


def policy_texts(
    store: Store, program_id: str, at: datetime | None = None
) -> tuple[dict | None, dict]:
    """The policy text of two consecutive periods, for `diff`.

    Returns (older, newer), each {"from", "category", "pages": {url: text}}.
    Without `at`, newer is the current period; with it, the period in force
    at that time is the newer one and the one before it is the older (None
    when the newer is the program's first).
    """
    with store.sessions() as session:
        program = _program(session, program_id)
        periods = session.scalars(
            select(models.StancePeriod)
            .where(models.StancePeriod.program_id == program.id)
            .order_by(models.StancePeriod.started_at, models.StancePeriod.id)
        ).all()
        if not periods:
            raise LookupError(f"no assessment of {program_id!r} is stored yet")
        index = len(periods) - 1
        if at is not None:
            in_force = [i for i, period in enumerate(periods) if period.started_at <= at]
            if not in_force:
                raise LookupError(f"{program_id!r} had no assessment yet at {at.isoformat()}")
            index = in_force[-1]
        older = _period_text(session, periods[index - 1]) if index > 0 else None
        return older, _period_text(session, periods[index])


def _period_text(session: Session, period: models.StancePeriod) -> dict:
    verdict = session.get(models.Verdict, period.verdict_id)
    deciding = {item["url"] for item in verdict.evidence if item.get("url")}
    rows = session.execute(
        select(models.Url.url, models.PageText.text)
        .join(models.PageFetch, models.PageFetch.url_id == models.Url.id)
        .join(models.PageText, models.PageText.id == models.PageFetch.text_id)
        .where(
            models.PageFetch.crawl_id == period.crawl_id,
            models.PageFetch.program_id == period.program_id,
        )
        .order_by(models.Url.url)
    ).all()
    # The pages that decided the verdict are the policy; without any, all pages.
    pages = {url: text for url, text in rows if url in deciding} or dict(rows)
    return {"from": _iso(period.started_at), "category": verdict.category, "pages": pages}


def _program(session: Session, program_id: str) -> models.Program:
    program = session.scalar(select(models.Program).where(models.Program.slug == program_id))
    if program is None:
        raise LookupError(f"no program {program_id!r} in the store")
    return program
