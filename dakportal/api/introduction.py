"""The introduction of the API documentation (#12), shown at the top of `/api/docs/` and in `/api/schema/`'s
`info.description`. The Python example is run against a live test server (tests/project/test_api_schema.py), so
it keeps working."""

from __future__ import annotations

from typing import Any

PYTHON_EXAMPLE = '''\
import io

import pandas as pd
import requests

PORTAL = "http://127.0.0.1:8000"


def allocations(year: int) -> pd.DataFrame:
    """Every allocation of one fiscal year, all pages at once (one CSV download)."""
    session = requests.Session()
    login = {"username": "analis", "password": "dakportal-demo", "read_only": True, "expires_in_days": 1}
    answer = session.post(f"{PORTAL}/api/v1/auth/token/", json=login)
    answer.raise_for_status()
    session.headers["Authorization"] = f"Token {answer.json()['token']}"
    csv = session.get(f"{PORTAL}/api/v1/allocations/", params={"year": year, "format": "csv"})
    csv.raise_for_status()
    codes = {"regency": str, "province": str, "regency_code_then": str}  # "32.73" is a code, not a number
    return pd.read_csv(io.StringIO(csv.content.decode("utf-8-sig")), dtype=codes)


if __name__ == "__main__":
    frame = allocations(2021)
    print(len(frame), "allocations, Rp", frame["amount"].sum())
'''

INTRODUCTION = f"""\
DAK Fisik Bidang IKM: regions, the Sentra IKM registry, yearly allocations with their plans, contracts,
disbursements and realisation, and monev. `GET /api/v1/` lists every list endpoint by name and URL.

**Authentication.** A logged-in session, or `Authorization: Token <key>`: `POST /api/v1/auth/token/` with
`{{"username", "password"}}` (optional `"name"`, `"read_only"`, `"expires_in_days"`) answers `{{"token", "expires"}}`;
`DELETE /api/v1/auth/token/` revokes the token sent. Missing, wrong, expired or revoked: 401. A read-only token's
write: 403.

**Scope.** Every answer holds only what the user's role and region allow, in lists, details, summaries and CSV. A
record outside the scope answers 404, never 403; a write the role may not make answers 403.

**Lists.** `?page=&page_size=` (up to 1000) answer `{{"count", "next", "previous", "results"}}`;
`?ordering=field,-field` takes the fields the operation lists; filters are query parameters, each documented with
its type. A parameter the endpoint does not know answers 400 naming it. `?format=csv` returns every matching row
(all pages) with a header row, UTF-8 with a byte-order mark (read it with `encoding="utf-8-sig"`).

**Incremental sync.** Every list takes `modified_after=<ISO 8601 date and time>` and can be ordered by
`last_updated`: keep the time of your last pull and ask for what changed since. Deletions are in the history feed:
`GET /api/v1/history/?action=delete&since=<time>` (with `model=`, e.g. `allocations.allocation`).

**One shape to read and to write.** What you read you can send back: the same field names, related records by
their natural code where they have one (`"regency": "32.73"`, `"province": "32"`, `"village": "32.73.01.1001"`,
`"sub_field": "revitalisasi"` in the allocation's year), otherwise by id. A former region code (`91.01`) is
accepted wherever a code is, in writes and filters, and answered with today's (`93.01`). Money is whole rupiah as
JSON integers, decimals are JSON numbers, dates and times ISO 8601. A read-only field sent unchanged is ignored,
changed it is a 400; a field the resource does not have is a 400.

**Versions and conflicts.** Every editable record has an integer `version`: a PUT or PATCH without it answers 400,
with a stale one 409 with who changed the record and when. Deleting what other records point to answers 409 with
`{{"detail", "blocked_by"}}`.

**Errors and warnings.** Errors are JSON in the request's language (Indonesian by default, English with
`Accept-Language: en`): 400 `{{"field": ["message"]}}` (or `non_field_errors`), else `{{"detail"}}`. The answer to a
write carries `warnings`, `[{{"field", "message"}}]`: a value that is allowed but suspicious, such as a pagu under
Rp 10 juta (a likely unit slip) or a sentra with fewer than 5 members, is saved and flagged.

**Files.** Documents (`documents/`) and monev evidence (`monev/evidence/`) are uploaded as multipart forms and
checked by their content (JPEG, PNG or PDF); `{{id}}/file/` serves a file to those who may see its record.

**Example: all allocations of a year in a pandas DataFrame.**

```python
{PYTHON_EXAMPLE}```
"""


def add_introduction(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the introduction above as the document's description."""
    result.setdefault("info", {})["description"] = INTRODUCTION
    return result
