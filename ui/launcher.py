"""The `branchdesk` command: a subcommand runs the headless CLI (desktop.cli, no Qt loaded);
no subcommand opens the desktop app."""

from __future__ import annotations

import argparse
import sys

from desktop import __version__


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="branchdesk",
        description="BranchDesk branch HR desk. Without a subcommand it opens the desktop app; "
                    "`branchdesk --help-cli` lists the subcommands.")
    parser.add_argument("--data-dir", help="the store's folder (default: BRANCHDESK_DATA_DIR "
                                           "or the platform's user data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open (creating once) a demo store with a demo admin")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--help-cli", action="store_true", help=argparse.SUPPRESS)
    return parser


def _first_positional(argv: list[str]) -> str | None:
    """The subcommand, if any: the first word that is not an option or an option's value."""
    takes_value = {"--data-dir", "--lang"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from desktop.cli import SUBCOMMANDS

    if _first_positional(argv) in SUBCOMMANDS or "--help-cli" in argv:
        from desktop.cli import main as cli_main
        return cli_main([a for a in argv if a != "--help-cli"] or ["--help"])
    args = _gui_parser().parse_args(argv)
    from ui.app import LaunchOptions, run

    return run(LaunchOptions(data_dir=args.data_dir, demo=args.demo, language=args.lang))


if __name__ == "__main__":
    sys.exit(main())
