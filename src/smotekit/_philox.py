"""Philox4x64-10 words, compiled, bit-identical to ``numpy.random.Philox``.

smotekit's random streams are numpy's Philox generator read at given
counters (:mod:`smotekit._random`). numpy gives a stream position only
through a new generator object (about 20 µs each, and draws are made in runs
of a few thousand rows), and its ``random_raw`` holds the interpreter lock,
so the threads of one draw took turns. This kernel computes the same words
with the interpreter lock released; the tests compare it with numpy's
generator word for word.

The block cipher is the one of Salmon et al. (2011), "Parallel random
numbers: as easy as 1, 2, 3": ten rounds of two 64 × 64 → 128-bit products,
the key bumped by two Weyl constants between rounds.
"""

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["philox_words"]

_M0 = np.uint64(0xD2E7470EE14C6C93)
_M1 = np.uint64(0xCA5A826395121157)
_W0 = np.uint64(0x9E3779B97F4A7C15)
_W1 = np.uint64(0xBB67AE8584CAA73B)
_ROUNDS = 10


@intrinsic
def _mulhi(typingctx, a, b):
    """High 64 bits of the 128-bit product of two uint64 (one machine
    multiply; numba has no 128-bit integer type)."""
    sig = types.uint64(types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        wide = ir.IntType(128)
        product = builder.mul(builder.zext(args[0], wide), builder.zext(args[1], wide))
        high = builder.lshr(product, ir.Constant(wide, 64))
        return builder.trunc(high, ir.IntType(64))

    return sig, codegen


#: Low 32 bits of a word.
_LOW = np.uint64(0xFFFFFFFF)
_HALF = np.uint64(32)
#: Counters advanced together: the rounds run over a lane of this many
#: counters at a time, which the compiler turns into vector instructions
#: (1.8x the speed of one counter at a time, whose 128-bit products do not
#: vectorise).
_COUNTERS = 32


@njit(inline="always")
def _wide_product(m, c):
    """``(high, low)`` 64-bit halves of ``m * c``, from four 32 x 32 -> 64-bit
    products (which vectorise)."""
    m_lo, m_hi = m & _LOW, m >> _HALF
    c_lo, c_hi = c & _LOW, c >> _HALF
    p0 = m_lo * c_lo
    # neither sum overflows: (2**32 - 1)**2 + 2 * (2**32 - 1) < 2**64
    t = (p0 >> _HALF) + m_lo * c_hi
    u = (t & _LOW) + m_hi * c_lo
    high = m_hi * c_hi + (t >> _HALF) + (u >> _HALF)
    return high, (u << _HALF) | (p0 & _LOW)


@njit(nogil=True, cache=True)
def _fill(key0, key1, first, out):
    n_blocks = out.shape[0] // 4
    c0 = np.empty(_COUNTERS, np.uint64)
    c1 = np.empty(_COUNTERS, np.uint64)
    c2 = np.empty(_COUNTERS, np.uint64)
    c3 = np.empty(_COUNTERS, np.uint64)
    for base in range(0, n_blocks, _COUNTERS):
        for j in range(_COUNTERS):
            # numpy's generator advances its counter before each block
            # (the lanes past the last block are not written out)
            c0[j] = first + np.uint64(base + j + 1)
            c1[j] = 0
            c2[j] = 0
            c3[j] = 0
        k0 = key0
        k1 = key1
        for r in range(_ROUNDS):
            if r > 0:
                k0 += _W0
                k1 += _W1
            for j in range(_COUNTERS):
                hi0, lo0 = _wide_product(_M0, c0[j])
                hi1, lo1 = _wide_product(_M1, c2[j])
                c0[j], c1[j], c2[j], c3[j] = (
                    hi1 ^ c1[j] ^ k0,
                    lo1,
                    hi0 ^ c3[j] ^ k1,
                    lo0,
                )
        for j in range(min(_COUNTERS, n_blocks - base)):
            out[4 * (base + j)] = c0[j]
            out[4 * (base + j) + 1] = c1[j]
            out[4 * (base + j) + 2] = c2[j]
            out[4 * (base + j) + 3] = c3[j]


def philox_words(key, first, n_blocks):
    """The ``4 * n_blocks`` words a Philox generator gives from a counter.

    Equal to ``numpy.random.Philox(key=key, counter=[first, 0, 0, 0])
    .random_raw(4 * n_blocks)``.

    Parameters
    ----------
    key : sequence of two int
        The 128-bit key as two 64-bit words.
    first : int
        Counter the generator starts from, ``0 <= first < 2**63``.
    n_blocks : int
        Number of 4-word blocks (counters ``first + 1`` onwards).

    Returns
    -------
    words : ndarray of shape (4 * n_blocks,), uint64

    Examples
    --------
    >>> import numpy as np
    >>> key = np.array([7, 11], dtype=np.uint64)
    >>> ref = np.random.Philox(key=key, counter=np.array([5, 0, 0, 0], dtype=np.uint64))
    >>> bool((philox_words(key, 5, 3) == ref.random_raw(12)).all())
    True
    """
    first, n_blocks = int(first), int(n_blocks)
    if not 0 <= first < 2**63 - n_blocks:
        raise ValueError(
            f"Philox counter {first} is out of range: expected 0 <= counter < "
            f"2**63 - {n_blocks} (the number of blocks asked for)."
        )
    key = np.asarray(key, dtype=np.uint64)
    out = np.empty(4 * n_blocks, dtype=np.uint64)
    _fill(key[0], key[1], np.uint64(first), out)
    return out
