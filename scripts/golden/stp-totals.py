#!/usr/bin/python3
"""Check test/goldens/stp-totals.json against the Rnightlights STP rasters with GDAL (whole-raster sums).

    /usr/bin/python3 scripts/golden/stp-totals.py [test/fixtures/real/rnightlights_stp] [test/goldens/stp-totals.json]

Valid cells = not NoData and not NaN. Sums with math.fsum (correctly rounded). Exits 1 on any mismatch.
"""
import hashlib
import json
import math
import os
import sys

import numpy as np
from osgeo import gdal

SRC = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/real/rnightlights_stp"
GOLD = sys.argv[2] if len(sys.argv) > 2 else "test/goldens/stp-totals.json"


def main():
    with open(GOLD, encoding="utf-8") as f:
        gold = json.load(f)["rasters"]
    bad = 0
    for name, exp in gold.items():
        path = os.path.join(SRC, name)
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        ds = gdal.Open(path)  # keep a reference: the band dies with its dataset
        band = ds.GetRasterBand(1)
        a = band.ReadAsArray().astype(np.float64)
        nd = band.GetNoDataValue()
        ok = ~np.isnan(a) if nd is None else (a != nd) & ~np.isnan(a)
        v = a[ok]
        got = {
            "sha256": sha,
            "valid_cells": int(v.size),
            "sum_valid": math.fsum(v.tolist()),
            "sum_positive": math.fsum(v[v > 0].tolist()),
        }
        for key, val in got.items():
            want = exp[key]
            if key.startswith("sum_"):
                same = abs(val - want) <= 1e-12 * max(1.0, abs(want))
            else:
                same = val == want
            print(f"{'OK ' if same else 'BAD'} {name} {key}: {val!r} (expected {want!r})")
            bad += not same
        if "expected_country_sum_rnightlights" in exp:
            want = exp["expected_country_sum_rnightlights"]
            val = got["sum_positive"]
            same = abs(val - want) <= 1e-6 * abs(want)
            print(f"{'OK ' if same else 'BAD'} {name} positive-only sum {val:.17g} vs Rnightlights {want}")
            bad += not same
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
