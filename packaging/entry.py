"""The frozen build's entry point (taphuan.exe and taphuan-cli.exe): `python -m app`.

The running-app mutex first, before the heavy imports: an installer started while this
program starts must already see it (installer.iss: AppMutex, PrepareToInstall); only a
multiprocessing worker goes before it (freeze_support)."""

import multiprocessing
import sys

from app import running

# A worker process of the frozen build (certificate PDFs rendered in parallel,
# app/certificate_pool.py) runs its task here and exits, before the mutex or the CLI.
multiprocessing.freeze_support()
running.hold()

from app.cli import main  # noqa: E402  (after the mutex, on purpose)

if __name__ == "__main__":
    sys.exit(main())
