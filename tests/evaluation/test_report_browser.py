"""The HTML report renders in headless Chromium with its table and figures.

Marked ``browser`` (deselected by default); run with
``python -m pytest -m browser tests/evaluation/test_report_browser.py``.
It needs Debian's ``chromium`` package (``apt-get install -y chromium``).
Set ``SMOTEKIT_SCREENSHOT=path.png`` to keep the screenshot.
"""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotekit.evaluation import compare_strategies, write_report

pytestmark = pytest.mark.browser

_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (apt-get install -y chromium)")


def _run(browser, profile, *args):
    command = [browser, *_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=True
    )


def test_report_renders_with_table_and_images(tmp_path):
    browser = _chromium()
    X, y = make_classification(
        n_samples=500, n_features=5, weights=[0.85], flip_y=0.03, random_state=0
    )
    result = compare_strategies(
        X, y, strategies="none,class_weight,smote", cv=3, n_repeats=1, random_state=0
    )
    page, _ = write_report(result, tmp_path / "report.html", title="browser check")
    url = page.resolve().as_uri()
    dom = _run(browser, tmp_path / "profile-dom", "--dump-dom", url).stdout
    assert "<h1>browser check</h1>" in dom
    assert dom.count("data:image/png;base64,") == 3
    table = dom.split('id="summary-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 1 + 3  # header + one row per strategy
    shot = Path(os.environ.get("SMOTEKIT_SCREENSHOT", tmp_path / "report.png"))
    _run(
        browser,
        tmp_path / "profile-shot",
        f"--screenshot={shot}",
        "--window-size=1280,3600",
        url,
    )
    from matplotlib.image import imread

    pixels = imread(shot)[..., :3]
    assert pixels.shape[:2] == (3600, 1280)
    # the figures' colours are on screen: bar blue, synthetic orange, overlap red
    for rgb in ((0x1F, 0x63, 0xB4), (0xF2, 0x8E, 0x1C), (0xD6, 0x27, 0x28)):
        close = np.all(np.abs(pixels - np.array(rgb) / 255) < 0.06, axis=-1)
        assert close.sum() > 200, rgb
