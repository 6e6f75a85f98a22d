"""Stopping a drafting run part way: promptly, and with nothing left half-done."""

from __future__ import annotations

import time
from datetime import date
from types import SimpleNamespace

import pytest

from dashboard import synthetic
from dashboard.extract import MAX_ARTICLE_CHARS, Cancelled, CancelToken, drafts_json, extract
from dashboard.ui import liveness

DAY = date(2022, 5, 12)
SHORT = "اجتماع في مراكش في 11 أيار 2022. وهجوم على السجن في الحسكة في 20 كانون الثاني 2022."


@pytest.fixture(scope="module")
def article() -> str:
    extract(SHORT, DAY)  # the gazetteer, loaded once
    return synthetic.long_article("places and event words", MAX_ARTICLE_CHARS)


class Tripwire:
    """A check that trips after `n` calls and counts every call after that."""

    def __init__(self, n: int):
        self.n, self.calls, self.tripped_at = n, 0, None

    def __call__(self):
        self.calls += 1
        if self.calls >= self.n:
            self.tripped_at = self.tripped_at or time.perf_counter()
            raise Cancelled("test", 0)


# at the start, among the sentences being folded, among those being read (~18,000 checks whole)
@pytest.mark.parametrize("n", [1, 3_000, 17_000])
def test_a_long_article_stops_at_the_check_that_trips(article, n):
    before = drafts_json(extract(SHORT, DAY))
    trip = Tripwire(n)
    with pytest.raises(Cancelled):
        extract(article, DAY, check=trip)
    stopped = time.perf_counter()
    assert trip.calls == n  # the first refusal ends the run: no further step is taken
    assert stopped - trip.tripped_at < 0.05
    # nothing half-done: the same short article drafts exactly as before the stopped run
    assert drafts_json(extract(SHORT, DAY)) == before


def test_the_check_is_asked_at_least_once_a_sentence_and_never_long_apart(article):
    gaps, last = [], [time.perf_counter()]

    def check():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    drafts = extract(article, DAY, check=check)
    assert len(gaps) > article.count(".") + article.count("2022")  # thousands of sentences
    assert drafts  # and the run, unstopped, still drafts its events
    # the longest stretch between two checks, on a shared two-core machine (~0.15 s seen)
    assert max(gaps) < 1.5, max(gaps)


def test_a_token_stops_on_cancel_on_its_time_budget_or_when_asked():
    clock = [100.0]
    token = CancelToken(seconds=5, clock=lambda: clock[0])
    token()  # within budget: nothing happens
    clock[0] = 106.0
    with pytest.raises(Cancelled) as stopped:
        token()
    assert stopped.value.reason == "time budget" and stopped.value.seconds == 6.0

    token = CancelToken()
    token()
    token.cancel("closed")
    with pytest.raises(Cancelled, match="closed"):
        extract(SHORT, DAY, check=token)

    asked = iter([None, None, "session closed"])
    token = CancelToken(stop=lambda: next(asked, "session closed"))
    with pytest.raises(Cancelled, match="session closed"):
        extract(SHORT, DAY, check=token)
    assert token.checks == 3


def test_a_check_s_own_exception_passes_through_untouched():
    class Stop(Exception):  # as Streamlit's StopException does
        pass

    def check():
        raise Stop

    with pytest.raises(Stop):
        extract(SHORT, DAY, check=CancelToken(stop=check))


def test_without_a_check_the_drafts_are_the_same_as_with_one():
    assert drafts_json(extract(SHORT, DAY)) == drafts_json(
        extract(SHORT, DAY, check=CancelToken(seconds=60))
    )


def test_the_page_check_says_the_session_is_gone_when_the_runtime_dropped_it(monkeypatch):
    """The server side of a closed tab: the runtime no longer lists the session."""
    active = {"s1"}

    class FakeRuntime:
        @staticmethod
        def exists():
            return True

        @staticmethod
        def instance():
            return SimpleNamespace(is_active_session=lambda sid: sid in active)

    monkeypatch.setattr(liveness, "Runtime", FakeRuntime)
    monkeypatch.setattr(
        liveness, "get_script_run_ctx", lambda suppress_warning: SimpleNamespace(session_id="s1")
    )
    monkeypatch.setattr(liveness, "get_run_yield_check", lambda: lambda: None)
    token = CancelToken(stop=liveness.session_check())
    token()  # the tab is open
    active.clear()  # the tab is closed: the runtime drops the session
    with pytest.raises(Cancelled, match=liveness.SESSION_GONE):
        token()


def test_outside_a_streamlit_run_the_page_check_never_stops():
    check = liveness.session_check()
    assert check() is None
