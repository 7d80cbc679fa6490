"""`python -m desktop`: the headless BranchDesk commands."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
