"""``python -m myelin``: the command line (see ``myelin.cli``)."""

from .cli import main

raise SystemExit(main())
