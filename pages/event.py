"""Event: every field of one event, its sources and the events linked to it."""

from dashboard import ui

state, q = ui.page("event")
ui.event_detail(state, q)
ui.share_link(state)
