"""Users' files: reading a text file (UTF-8, a byte-order mark dropped, or one ValidationFailed naming
the file), and finding which folders an output path will create."""

from __future__ import annotations

from pathlib import Path

from sectracker.errors import Problem, ValidationFailed


def decode(data: bytes, name: str) -> str:
    """UTF-8 bytes as text, without a leading byte-order mark; ValidationFailed naming `name` if not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8", file=name)
        ) from exc


def read_text(path: Path) -> str:
    """The text of the file at `path`; ValidationFailed naming it when it is missing, a folder or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationFailed(Problem("no such file", file=str(path))) from exc
    except IsADirectoryError as exc:
        raise ValidationFailed(Problem("is a folder, not a file", file=str(path))) from exc
    except OSError as exc:
        raise ValidationFailed(Problem(f"cannot read the file ({exc.strerror})", file=str(path))) from exc
    return decode(data, str(path))


def missing_top(folder: Path) -> Path | None:
    """The top-most folder of `folder`'s path that does not exist yet (what to remove after a failed
    write that created it); None when `folder` exists."""
    if folder.is_dir():
        return None
    top = folder
    while not top.parent.exists() and top.parent != top:
        top = top.parent
    return top
