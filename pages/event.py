"""Event: every field of one event, its sources and the events linked to it."""

from dashboard.ui import event_page, sidebar, urlsync

state, q = sidebar.page("event")
event_page.event_detail(state, q)
urlsync.share_link(state)
