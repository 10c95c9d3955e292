"""``python -m reference``: the same as the ``copydata-reference`` command."""

import sys

from reference.cli import main

sys.exit(main())
