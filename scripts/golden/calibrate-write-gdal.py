"""Golden for the GeoTIFF writer: GDAL 3.6 reads the files our writer produced.

Run from the repo root:  /usr/bin/python3 scripts/golden/calibrate-write-gdal.py
It runs test/raster-write.test.ts with NTL_WRITE_FIXTURES_DIR set (the test writes its files there; the
comparison part of that test may fail on the first run, before the golden exists), then records for every
file: sha256 of the bytes, gdalinfo's structure, the CRS as GDAL exports it (proj4) and GDAL's pixel count/sum
over valid (non-no-data, non-NaN) pixels. Output: test/goldens/calibrate-write-gdal.json.
"""
import hashlib, json, os, subprocess, sys, tempfile, pathlib
import numpy as np
from osgeo import gdal, osr

root = pathlib.Path(__file__).resolve().parents[2]
d = tempfile.mkdtemp(prefix="ntl-write-golden-")
env = dict(os.environ, NTL_WRITE_FIXTURES_DIR=d)
subprocess.run(["npx", "vitest", "run", "test/raster-write.test.ts"], cwd=root, env=env)
out = {}
for f in sorted(pathlib.Path(d).glob("*.tif")):
    ds = gdal.Open(str(f))
    info = gdal.Info(ds, format="json")
    b = ds.GetRasterBand(1)
    a = b.ReadAsArray().astype(np.float64)
    nd = b.GetNoDataValue()
    valid = ~np.isnan(a)
    if nd is not None and not np.isnan(nd):
        valid &= a != nd
    srs = osr.SpatialReference(wkt=ds.GetProjection())
    band = info["bands"][0]
    out[f.stem] = {
        "sha256": hashlib.sha256(f.read_bytes()).hexdigest(),
        "size": info["size"],
        "type": band["type"],
        "block": band["block"],
        "compression": info["metadata"]["IMAGE_STRUCTURE"].get("COMPRESSION"),
        "nodata": (None if nd is None else ("nan" if np.isnan(nd) else (int(nd) if float(nd).is_integer() else nd))),
        "geotransform": list(ds.GetGeoTransform()),
        "proj4": srs.ExportToProj4().strip(),
        "valid_count": int(valid.sum()),
        "valid_sum": float(a[valid].sum(dtype=np.float64)),
        "gdal_checksum": b.Checksum(),
    }
(root / "test/goldens/calibrate-write-gdal.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
print(json.dumps({k: (v["type"], v["nodata"], v["valid_count"]) for k, v in out.items()}))
