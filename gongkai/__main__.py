"""The `gongkai` console script: Django's management entry point under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "gongkai"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
