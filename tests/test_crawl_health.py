"""When most programs fail at once, the crawl is the monitor's failure, not theirs."""

from monitor.classify.assess import PageResult, assess_program
from monitor.config import Program, Settings
from monitor.crawl.health import outage_reason

TEXT = "International medical graduates: we sponsor H-1B and J-1 visas for residents."


def program(n: int) -> Program:
    return Program(id=f"p{n}", name=f"P{n}", institution="I", specialty="IM", city="LA",
                   url=f"https://p{n}.example.org/")


def refused(n: int):
    page = PageResult(url=f"https://p{n}.example.org/", status=None, own=True,
                      error="ConnectionRefusedError: Connection was refused by other side")
    return assess_program(program(n), [page])


def http_503(n: int):
    page = PageResult(url=f"https://p{n}.example.org/", status=503, own=True, error="HTTP 503")
    return assess_program(program(n), [page])


def robots(n: int):
    page = PageResult(url=f"https://p{n}.example.org/", status=None, own=True,
                      error="blocked by robots.txt")
    return assess_program(program(n), [page])


def answered(n: int):
    from monitor.classify.verdict import classify_text

    url = f"https://p{n}.example.org/"
    page = PageResult(url=url, status=200, own=True, text=TEXT, verdict=classify_text(TEXT, url))
    return assess_program(program(n), [page])


def test_every_program_without_an_answer_is_an_outage():
    reason = outage_reason([refused(n) for n in range(10)], Settings())
    assert reason is not None and reason.startswith("10 of 10 programs unreachable")
    assert "ConnectionRefusedError" in reason


def test_half_of_the_programs_is_enough():
    results = [refused(n) for n in range(5)] + [answered(n) for n in range(5, 10)]
    assert outage_reason(results, Settings()) is not None
    results = [refused(n) for n in range(4)] + [answered(n) for n in range(4, 10)]
    assert outage_reason(results, Settings()) is None


def test_a_few_programs_down_are_the_sites_own_trouble():
    # Two of two is 100%, but below outage_min_programs (3): a real outage of two sites.
    assert outage_reason([refused(0), refused(1)], Settings()) is None
    assert outage_reason([refused(0), refused(1)], Settings(outage_min_programs=2)) is not None


def test_sites_that_answer_with_errors_are_not_an_outage():
    # An HTTP error is an answer: the network works, the sites are down.
    assert outage_reason([http_503(n) for n in range(10)], Settings()) is None
    assert outage_reason([robots(n) for n in range(10)], Settings()) is None


def test_the_share_is_a_setting():
    results = [refused(n) for n in range(3)] + [answered(n) for n in range(3, 10)]
    assert outage_reason(results, Settings()) is None
    assert outage_reason(results, Settings(outage_share=0.3)) is not None


def test_a_crawl_with_every_site_gone_is_failed_and_counts_for_nobody(sites, sqlite_url):
    from sqlalchemy import func, select

    from monitor.crawl.runner import run_crawl
    from monitor.store import models
    from monitor.store.writer import Store

    def fail_streaks():
        store = Store.open(sqlite_url)
        try:
            with store.sessions() as session:
                return dict(session.execute(
                    select(models.Program.slug, models.Program.fail_streak)).all())
        finally:
            store.close()

    first = run_crawl(sites.config(), sqlite_url)
    assert first.outcome == "completed"
    before = fail_streaks()  # a fixture program that always fails has a streak of its own
    sites.server.httpd.shutdown()  # the machine "loses its network"
    sites.server.httpd.server_close()
    runs = [run_crawl(sites.config(), sqlite_url) for _ in range(3)]  # unreachable_after = 3
    assert [run.outcome for run in runs] == ["failed"] * 3
    store = Store.open(sqlite_url)
    try:
        with store.sessions() as session:
            reasons = session.scalars(
                select(models.Crawl.reason).where(models.Crawl.outcome == "failed")).all()
            events = session.scalar(select(func.count()).select_from(models.ChangeEvent))
    finally:
        store.close()
    count = len(sites.config().programs)
    assert all(reason.startswith(f"{count} of {count} programs unreachable") for reason in reasons)
    assert events == 0
    assert fail_streaks() == before  # the failed crawls moved no program's streak
