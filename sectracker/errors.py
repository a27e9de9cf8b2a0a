"""One exception hierarchy for sectracker.

    SectrackerError
    ├── ConfigError        a setting has a bad value
    ├── CodebookError      the codebook or another package data file is invalid
    ├── ValidationFailed   user input (a file, a field, a query) is invalid; carries Problems
    ├── SourceError        a document could not be read or fetched
    ├── ExtractionError    a pipeline stage failed on a document
    ├── StoreError         the database could not be read or written
    │   ├── NotFound       no record with that id
    │   ├── NotInitialised the database has no sectracker schema yet, or an old one
    │   ├── Conflict       a stale edit (optimistic locking) or a duplicate id
    │   └── DatabaseBusy   the database stayed locked through every retry
    ├── AnalysisError      an analysis or selection cannot be computed
    ├── ReportError        an edition could not be built or rendered
    └── AccessError        a request lacks the right to do something
        ├── NotAuthenticated   no valid login, session or API token
        ├── Forbidden          logged in, but the role does not allow it
        └── TooManyAttempts    too many failed logins; try again later

Library code raises these; the CLI turns them into a message and exit code 2
(user error) or 1 (other failure); the web layer turns them into one JSON shape.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]" if where else f"[{self.field}]"
        return f"{where}: {self.message}" if where else self.message


class SectrackerError(Exception):
    """Base of every error sectracker raises on purpose."""

    exit_code = 1
    http_status = 500


class ConfigError(SectrackerError):
    exit_code = 2
    http_status = 400


class CodebookError(SectrackerError):
    pass


class ValidationFailed(SectrackerError):
    """User input is invalid; `problems` lists every problem found."""

    exit_code = 2
    http_status = 400

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))


class SourceError(SectrackerError):
    exit_code = 2
    http_status = 400


class ExtractionError(SectrackerError):
    pass


class StoreError(SectrackerError):
    pass


class NotFound(StoreError):
    exit_code = 2
    http_status = 404


class NotInitialised(StoreError):
    """The database has no sectracker schema, or an older one: run init or db migrate."""

    exit_code = 2
    http_status = 503


class Conflict(StoreError):
    exit_code = 2
    http_status = 409


class DatabaseBusy(StoreError):
    http_status = 503


class AnalysisError(SectrackerError):
    exit_code = 2
    http_status = 400


class ReportError(SectrackerError):
    pass


class AccessError(SectrackerError):
    exit_code = 2
    http_status = 403


class NotAuthenticated(AccessError):
    http_status = 401


class Forbidden(AccessError):
    http_status = 403


class TooManyAttempts(AccessError):
    """Too many failed logins; `retry_after_s` says when to try again."""

    http_status = 429

    def __init__(self, message: str, retry_after_s: int):
        self.retry_after_s = retry_after_s
        super().__init__(message)
