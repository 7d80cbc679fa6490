"""Sync with group HQ (DESIGN section 3): the wire contract (`sync.protocol`), the HTTP
client a desk uses (`sync.client`) and the HQ server (`sync.server`). Never imports Qt; the
rules both ends implement are in docs/SYNC.md."""
