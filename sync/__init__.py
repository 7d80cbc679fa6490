"""Sync with group HQ (DESIGN section 3): protocol, client and HQ server. Never imports Qt.

Not built yet: desks run standalone and record every change in their outbox until then.
"""
