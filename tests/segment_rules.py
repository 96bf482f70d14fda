"""The segment rule a synthetic value keeps, in exact arithmetic (Python
ints, Decimals): between its two rows' values, or, from a negative gap
(extrapolating away from the neighbour), on the parent's side."""


def off_segment(values, provenance, synthetic):
    """``(row, parent value, neighbour value, value)`` of each synthetic value
    that breaks the rule; ``values`` are the column's original values."""
    bad = []
    for j, v in enumerate(synthetic):
        a, b = values[provenance.parent[j]], values[provenance.neighbor[j]]
        if provenance.gap[j] >= 0:
            ok = min(a, b) <= v <= max(a, b)
        else:
            ok = v == a if a == b else (v <= a if b > a else v >= a)
        if not ok:
            bad.append((j, a, b, v))
    return bad
