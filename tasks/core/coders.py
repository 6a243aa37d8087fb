"""Coder names as researchers write them: "Student", "student " and "STUDENT" are one coder, and
the study may declare aliases (`coding.coder_aliases: {jdv: ["J. de Vries", "Jan"]}`).

Names are matched without regard to case and spacing; the name shown is the one the config
declares, else the first spelling seen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def coder_key(name: str) -> str:
    """What two spellings of one coder share: single spaces, no case."""
    return " ".join(name.split()).casefold()


class Coders:
    """Resolves written coder names to one display name each, remembering first spellings."""

    def __init__(self, aliases: Mapping[str, Sequence[str]] | None = None) -> None:
        self.names: dict[str, str] = {}
        for canonical, others in (aliases or {}).items():
            shown = " ".join(canonical.split())
            for name in (canonical, *others):
                self.names[coder_key(name)] = shown

    def name(self, written: str) -> str:
        """The display name of the coder `written` names (its first spelling when undeclared)."""
        return self.names.setdefault(coder_key(written), " ".join(written.split()))


def alias_problem(aliases: Mapping[str, Sequence[str]]) -> tuple[tuple[str, ...], str] | None:
    """The first problem of a `coder_aliases` mapping, as (key path, message), or None.

    Each alias names one coder, no coder is declared twice, and no coder is another's alias:
    otherwise which name a coding gets would depend on the order of the file.
    """
    owner: dict[str, str] = {}
    for canonical in aliases:
        key = coder_key(canonical)
        if not key:
            return (canonical,), "empty coder name; write the name the results should show"
        if key in owner:
            return (canonical,), f"the same coder as {owner[key]!r} (names are matched without regard to case); merge the two"
        owner[key] = canonical
    for canonical, others in aliases.items():
        for index, alias in enumerate(others):
            key = coder_key(alias)
            path = (canonical, str(index))
            if not key:
                return path, "empty alias; remove it"
            claimed = owner.setdefault(key, canonical)
            if claimed == canonical:
                continue
            if claimed in aliases and coder_key(claimed) == key:
                return path, f"{alias!r} is declared as a coder itself; list it under one name only"
            return path, f"{alias!r} is already an alias of {claimed!r}; give each alias one coder"
    return None
