"""Machine and software description recorded with every benchmark run."""

import os
import platform
import subprocess
import sys
from pathlib import Path

__all__ = ["THREAD_ENV_VARS", "machine_info", "machine_markdown"]

#: Environment variables that change BLAS / OpenMP behaviour; recorded, never set.
THREAD_ENV_VARS = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "GOTO_NUM_THREADS",
)


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware"):
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib():
    try:
        import psutil
    except ImportError:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        return round(pages / 2**30, 1)
    return round(psutil.virtual_memory().total / 2**30, 1)


def _physical_cores():
    try:
        import psutil
    except ImportError:
        return None
    return psutil.cpu_count(logical=False)


def _version(module_name):
    try:
        module = __import__(module_name)
    except ImportError:
        return None
    return getattr(module, "__version__", "unknown")


def _git_revision():
    root = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return rev + ("+dirty-src" if dirty else "")


def _thread_pools():
    """Thread pools of numpy/scipy BLAS and scikit-learn's OpenMP, as loaded."""
    try:
        import numpy  # noqa: F401
        import scipy.linalg  # noqa: F401
        import sklearn.neighbors  # noqa: F401
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("user_api", "internal_api", "num_threads", "version", "architecture")
    return [
        {k: info.get(k) for k in keys}
        | {"library": os.path.basename(info.get("filepath", ""))}
        for info in threadpool_info()
    ]


def machine_info():
    """Everything about the machine and software that affects the timings."""
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = None
    return {
        "cpu_model": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "physical_cores": _physical_cores(),
        "usable_cores": affinity,
        "memory_gib": _memory_gib(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "versions": {
            name: _version(name)
            for name in (
                "numpy",
                "scipy",
                "sklearn",
                "imblearn",
                "smotekit",
                "threadpoolctl",
                "psutil",
            )
        },
        "smotekit_git": _git_revision(),
        "thread_pools": _thread_pools(),
        "env": {name: os.environ.get(name) for name in THREAD_ENV_VARS},
        "loadavg_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def machine_markdown(info):
    """A short Markdown description of :func:`machine_info`'s result."""
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    pools = "; ".join(
        f"{p['internal_api']} {p.get('version') or ''} ({p['library']}, "
        f"{p['num_threads']} threads"
        + (f", {p['architecture']}" if p.get("architecture") else "")
        + ")"
        for p in info["thread_pools"]
    )
    env = ", ".join(f"{k}={v}" for k, v in info["env"].items() if v is not None)
    load = info.get("loadavg_start")
    lines = [
        f"- CPU: {info['cpu_model']}; {info['logical_cores']} logical cores "
        f"({info['physical_cores']} physical, {info['usable_cores']} usable); "
        f"{info['memory_gib']} GiB",
        f"- Python {info['python']}; {versions}; smotekit at {info['smotekit_git']}",
        f"- Thread pools: {pools or 'none found'}",
        f"- Thread env vars: {env or 'none set'}",
    ]
    if load:
        lines.append("- Load average at start: " + ", ".join(f"{x:.2f}" for x in load))
    return "\n".join(lines)
