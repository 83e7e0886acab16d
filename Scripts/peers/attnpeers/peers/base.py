"""What every peer shares: the unavailable-peer error and the placing of the live rows' output."""


class PeerUnavailable(Exception):
    """The peer cannot run here (library missing, op not implemented); its rows say `skipped` and why."""


def live_queries(shape, q):
    """Q's live rows (those that see a key), contiguous: (B, H, live rows, d)."""
    import numpy as np

    return np.ascontiguousarray(q[:, :, shape.dead_rows:])


def with_dead_rows(shape, q):
    """A function placing a (B, H, live rows, d) result into the full output, whose dead rows (causal,
    Nq > Nk: they see no key) are zero. Returns the result itself when there are no dead rows."""
    import numpy as np

    dead = shape.dead_rows
    if not dead:
        return lambda result: result
    out = np.zeros_like(q)

    def place(result):
        out[:, :, dead:] = result
        return out

    return place
