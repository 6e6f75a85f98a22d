"""Whether the page that asked for a long computation still wants its answer.

Streamlit ends a script run only at its own calls (each `st.*` call is a yield point), so
a long pure-Python step runs to its end after the tab is closed or a rerun is asked for.
Streamlit 1.67 (requirements.txt) exposes the yield point itself as
`get_run_yield_check()`: it raises Streamlit's StopException when the session was
disconnected or closed (the runtime asks the script to stop then) and its RerunException
when a widget asked for a new run. Calling it between steps lets those reach the work.
`Runtime.is_active_session` (documented thread-safe) answers the same for a session the
runtime has dropped. Both are internal modules; if a Streamlit upgrade moves them, the
check falls back to the time budget alone, and tests/app/test_curate_cancel.py fails.
"""

from __future__ import annotations

from collections.abc import Callable

try:  # internal to Streamlit: guarded so an upgrade degrades instead of breaking the page
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner_utils.script_run_context import (
        get_run_yield_check,
        get_script_run_ctx,
    )
except ImportError:  # pragma: no cover - only after a Streamlit upgrade moved them
    Runtime = None
    get_run_yield_check = get_script_run_ctx = None

#: the reason a check gives when the runtime no longer holds the session
SESSION_GONE = "session closed"


def session_check() -> Callable[[], str | None]:
    """A cheap check for this run: raises Streamlit's stop/rerun signal when one is
    pending, returns SESSION_GONE when the session is no longer active, else None.
    Outside a Streamlit run (the CLI, plain tests) it never stops anything."""
    if get_script_run_ctx is None:
        return lambda: None
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return lambda: None
    yield_check = get_run_yield_check() or (lambda: None)
    runtime = Runtime.instance() if Runtime is not None and Runtime.exists() else None
    session_id = ctx.session_id

    def check() -> str | None:
        yield_check()
        if runtime is not None and not runtime.is_active_session(session_id):
            return SESSION_GONE
        return None

    return check
