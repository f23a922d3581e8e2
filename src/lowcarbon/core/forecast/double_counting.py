"""The double-counting guard of §9: the group of tasks that claims most beyond what its sources
emit is found by Dinkelbach's iteration over minimum cuts (Edmonds–Karp) and scaled down to what
those sources emit, group after group, in exact fractions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from fractions import Fraction

from ..activity import SourceKey

__all__: list[str] = []


_Group = tuple[frozenset[str], frozenset[SourceKey], Fraction]


def _saturate(residual: list[dict[int, Fraction]], source: int, sink: int) -> set[int]:
    """Push a maximum flow through ``residual`` (Edmonds–Karp); the nodes left reachable."""
    while True:
        parent = {source: source}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for nxt, room in residual[node].items():
                if room > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return set(parent)
        path: list[tuple[int, int]] = []
        node = sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(residual[a][b] for a, b in path)
        for a, b in path:
            residual[a][b] -= push
            residual[b][a] = residual[b].get(a, Fraction(0)) + push


def _over_claiming(
    demand: Mapping[str, Fraction],
    reach: Mapping[str, frozenset[SourceKey]],
    capacity: Mapping[SourceKey, Fraction],
    factor: Fraction,
) -> tuple[frozenset[str], frozenset[SourceKey]]:
    """The smallest task set maximising Σ claims − factor × Σ emissions of its sources.

    This is the maximum-closure problem, solved as a minimum cut. An arc runs from the source
    to each task with its claim, from a task to each of its sources without limit, and from
    each source to the sink with factor × its emissions. The set is empty when no tasks claim
    more than ``factor`` times what they can reach.
    """
    tasks, sources = sorted(demand), sorted(capacity)
    task_node = {t: 2 + i for i, t in enumerate(tasks)}
    source_node = {s: 2 + len(tasks) + i for i, s in enumerate(sources)}
    unlimited = sum(demand.values(), Fraction(0)) + 1  # no cut can afford this arc
    residual: list[dict[int, Fraction]] = [{} for _ in range(2 + len(tasks) + len(sources))]
    for task in tasks:
        residual[0][task_node[task]] = demand[task]
        for source in reach[task]:
            residual[task_node[task]][source_node[source]] = unlimited
    for source in sources:
        residual[source_node[source]][1] = factor * capacity[source]
    reached = _saturate(residual, 0, 1)
    return (
        frozenset(t for t in tasks if task_node[t] in reached),
        frozenset(s for s in sources if source_node[s] in reached),
    )


def _densest(
    demand: Mapping[str, Fraction],
    reach: Mapping[str, frozenset[SourceKey]],
    capacity: Mapping[SourceKey, Fraction],
) -> _Group | None:
    """The tasks whose claims most exceed what their sources emit, their sources, and the share
    of their claims those sources can bear; None when no group of tasks claims too much.

    Dinkelbach's iteration: start from "claims > emissions", then ask for sets that claim
    more than the last ratio found until none does. The ratio grows at every step and the
    task sets are finite, so the loop ends.
    """
    factor = Fraction(1)
    best: _Group | None = None
    while True:
        tasks, sources = _over_claiming(demand, reach, capacity, factor)
        if not tasks:
            return best
        claimed = sum((demand[t] for t in tasks), Fraction(0))
        available = sum((capacity[s] for s in sources), Fraction(0))
        if available == 0:
            return tasks, sources, Fraction(0)
        best = (tasks, sources, available / claimed)
        factor = claimed / available


def _remove_double_counting(
    demand: Mapping[str, Fraction],
    reach: Mapping[str, frozenset[SourceKey]],
    capacity: Mapping[SourceKey, Fraction],
) -> tuple[dict[str, Fraction], list[_Group]]:
    """The share of its claim each task keeps, and the groups that were scaled down.

    The condition is §9's double-counting check: for every group of sources, the tasks acting
    only on them claim no more than they emit. This is Hall's condition, under which every
    claim can be taken from real emissions. When it fails, the group that over-claims most is
    scaled down in proportion to the claims, until it takes exactly what its sources emit. Its
    sources are then used up, and the other tasks keep only their remaining sources. The
    outcome does not depend on the order of the tasks, and it counts the largest total any
    allocation could count.
    """
    scale: dict[str, Fraction] = {}
    groups: list[_Group] = []
    active = {task: claim for task, claim in demand.items() if claim > 0}
    left = {task: reach[task] for task in active}
    free = dict(capacity)
    while (group := _densest(active, left, free)) is not None:
        tasks, sources, share = group
        groups.append(group)
        for task in tasks:
            scale[task] = share
            del active[task]
        left = {task: left[task] - sources for task in active}
        free = {s: c for s, c in free.items() if s not in sources}
    scale.update(dict.fromkeys(active, Fraction(1)))
    return scale, groups
