"""`python -m scrapers.distributed`: see `scrapers.distributed.cli`."""

import sys

from scrapers.distributed.cli import main

sys.exit(main())
