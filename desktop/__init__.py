"""BranchDesk branch core: local store, domain services, CLI. Never imports Qt."""

__version__ = "0.1.0"
