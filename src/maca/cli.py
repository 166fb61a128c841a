"""The `maca` command: the project's management entry point (`maca migrate`, `maca load_demo`, ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maca.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([os.path.basename(sys.argv[0]) or "maca", *sys.argv[1:]])


if __name__ == "__main__":
    main()
