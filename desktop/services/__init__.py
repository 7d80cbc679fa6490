"""Domain services: the only code that changes the store. The GUI and the CLI both call these."""
