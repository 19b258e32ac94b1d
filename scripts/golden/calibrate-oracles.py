"""Independent (GDAL + numpy) oracles for ntl calibrate, written to test/goldens/calibrate-oracles.json.

Run from the repo root: /usr/bin/python3 scripts/golden/calibrate-oracles.py
1. monthly -> annual on the real Mumbai months: per year, the plain mean and the cloud-free-weighted mean of the
   valid months (first band of a repeated date only; weight 0 months dropped); stored: per-year sum over cells,
   number of valid cells and a few pixels.
2. Elvidge 2014 F101992 applied with numpy to the DMSP-like Hunan 2018 raster (as if it were DN): sum and
   a few pixels, computed from the published coefficients in data/calibration/elvidge2014.csv.
"""
import csv, json, pathlib
import numpy as np
from osgeo import gdal

root = pathlib.Path(__file__).resolve().parents[2]
m = root / "data/mumbai"
dates = list(csv.DictReader(open(m / "band_dates.csv")))
rad = gdal.Open(str(m / "mumbai_viirs_monthly_radiance_131bands.tif"))
cov = gdal.Open(str(m / "mumbai_viirs_monthly_cloudfree_131bands.tif"))
out = {"mumbai": {}, "elvidge2014_F101992_dmsp_like_2018": {}}
PIX = [(0, 0), (50, 20), (100, 47), (37, 11)]
for year in range(2012, 2024):
    seen, bands = set(), []
    for r in dates:
        if int(r["date"][:4]) == year and r["date"] not in seen:
            seen.add(r["date"]); bands.append(int(r["band"]))
    s = np.zeros((101, 48)); w = np.zeros((101, 48)); s1 = np.zeros((101, 48)); n1 = np.zeros((101, 48))
    for b in bands:
        rb = rad.GetRasterBand(b); v = rb.ReadAsArray().astype(np.float64)
        ok = v != np.float64(np.float32(rb.GetNoDataValue())); ok &= ~np.isnan(v)
        cb = cov.GetRasterBand(b); c = cb.ReadAsArray().astype(np.float64)
        okc = ok & (c != cb.GetNoDataValue()) & (c > 0)
        s[okc] += (c * v)[okc]; w[okc] += c[okc]
        s1[ok] += v[ok]; n1[ok] += 1
    wm = np.where(w > 0, s / np.where(w > 0, w, 1), np.nan)
    pm = np.where(n1 > 0, s1 / np.where(n1 > 0, n1, 1), np.nan)
    # our output is float32
    wm32 = wm.astype(np.float32).astype(np.float64); pm32 = pm.astype(np.float32).astype(np.float64)
    out["mumbai"][str(year)] = {
        "bands": bands,
        "weighted": {"sum": float(np.nansum(wm32)), "valid": int((~np.isnan(wm32)).sum()), "pixels": [None if np.isnan(wm32[r, c]) else float(wm32[r, c]) for r, c in PIX]},
        "plain": {"sum": float(np.nansum(pm32)), "valid": int((~np.isnan(pm32)).sum()), "pixels": [None if np.isnan(pm32[r, c]) else float(pm32[r, c]) for r, c in PIX]},
    }

row = [r for r in csv.reader(l for l in open(root / "data/calibration/elvidge2014.csv") if not l.startswith("#")) if r[:2] == ["F10", "1992"]][0]
c0, c1, c2 = map(float, row[2:5])
a = gdal.Open(str(root / "data/demo/dmsp_like/DMSP-like2018_hunan.tif")).ReadAsArray().astype(np.float64)
cal = np.where(a > 0, np.clip(c0 + c1 * a + c2 * a * a, 0, None), 0.0)
cal = np.where(a == 255, np.nan, cal)
cal32 = cal.astype(np.float32).astype(np.float64)
out["elvidge2014_F101992_dmsp_like_2018"] = {"sum": float(np.nansum(cal32)), "valid": int((~np.isnan(cal32)).sum()),
    "pixels": {f"{r},{c}": float(cal32[r, c]) for r, c in [(0, 0), (355, 320), (400, 500), (123, 456)]}}
(root / "test/goldens/calibrate-oracles.json").write_text(json.dumps(out, indent=1) + "\n")
print({y: (v["weighted"]["sum"], v["plain"]["valid"]) for y, v in out["mumbai"].items()}, out["elvidge2014_F101992_dmsp_like_2018"]["sum"])
