"""Rules for the codebook's relations: no self-relations, no duplicates, and no cycles among
relation types whose meaning forbids them (A causes B causes A; A part of B part of A)."""

from __future__ import annotations

ACYCLIC_RELATIONS: dict[str, str] = {
    **dict.fromkeys(("causes", "leads_to", "explains", "precedes"), "causal"),
    **dict.fromkeys(("part_of", "is_part_of", "is_a", "subcategory_of"), "hierarchical"),
}


def relation_problem(relations: list[tuple[str, str, str]]) -> tuple[int, str] | None:
    """The index of the first bad (from, to, type) relation and what is wrong, or None."""
    seen: dict[tuple[str, str, str], int] = {}
    graphs: dict[str, dict[str, list[str]]] = {}
    for index, (source, target, kind) in enumerate(relations):
        if source == target:
            return index, f"from and to are both {source!r}; a relation joins two different ids"
        if (source, target, kind) in seen:
            return index, f"duplicate relation (also at relations.{seen[(source, target, kind)]}); keep one"
        seen[(source, target, kind)] = index
        family = ACYCLIC_RELATIONS.get(kind)
        if family is None:
            continue
        graph = graphs.setdefault(family, {})
        back = _path(graph, target, source)
        if back is not None:
            loop = " -> ".join([source, *back])
            return index, f"cycle in {family} relations ({loop}); remove or retype one of them"
        graph.setdefault(source, []).append(target)
    return None


def _path(graph: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """A path from start to goal through `graph` (depth first), or None."""
    stack: list[list[str]] = [[start]]
    visited = {start}
    while stack:
        path = stack.pop()
        if path[-1] == goal:
            return path
        for nxt in graph.get(path[-1], []):
            if nxt not in visited:
                visited.add(nxt)
                stack.append([*path, nxt])
    return None
