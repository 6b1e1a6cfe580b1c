import sys

from weltoffen.cli import main

sys.exit(main())
