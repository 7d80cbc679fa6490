"""Sync with group HQ (DESIGN section 3). Never imports Qt.

Written so far: the wire contract (`sync.protocol`) and the rules both ends implement
(docs/SYNC.md). The HQ server and the desk client are not built yet: desks run standalone
and record every change in their outbox until then.
"""
