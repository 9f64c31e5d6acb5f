#!/usr/bin/env python
"""DAK Portal's command-line utility for administrative tasks."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dakportal.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from dakportal.db.embedded import install_signal_handlers
    from dakportal.history.context import history_context

    install_signal_handlers()
    try:
        # #9: what a command changes is recorded as done by that command (a service names its acting user too).
        with history_context(source=f"command:{sys.argv[1] if len(sys.argv) > 1 else 'help'}"[:100]):
            execute_from_command_line(sys.argv)
    except KeyboardInterrupt:
        sys.exit(130)  # Ctrl-C: exit quietly; exit hooks stop the embedded PostgreSQL.
    except ImproperlyConfigured as error:
        # #2: a bad setting is one clear sentence, never a traceback.
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
