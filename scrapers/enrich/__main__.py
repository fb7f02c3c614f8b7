"""`python -m scrapers.enrich`: see `scrapers.enrich.cli.main`."""

from scrapers.enrich.cli import main

raise SystemExit(main())
