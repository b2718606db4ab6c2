"""`python -m sse_dash`: see sse_dash.cli."""

import sys

from sse_dash.cli import main

sys.exit(main())
