"""`taphuan certificates publish --out DIR`: the static verification site, and what changed
since the folder was published before."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import EXIT_OK, open_database
from app.verify_site.wording import address_line, changes_lines, summary


def cmd_publish(args: argparse.Namespace) -> int:
    from app.services import settings, verify_publish
    from app.verify_site import publish

    out = args.out.expanduser().absolute()
    publish.check_folder(out)  # before the database: a refusal reads and writes nothing
    db = open_database(args)
    try:
        # One moment's data and the disclosure in the audit, committed before the folder
        # is written (a folder written and its audit lost would be a disclosure unrecorded).
        with db.transaction() as s:
            records = verify_publish.records_to_publish(s, str(out))
            verify_url = settings.get(s, "verify_url")
    finally:
        db.close(optimize=False)
    result = publish.publish(out, records, verify_publish.vietnam_now())
    print(summary(result))
    for line in changes_lines(result.changes):
        print(line)
    print(address_line(verify_url), file=sys.stderr if not verify_url else sys.stdout)
    return EXIT_OK
