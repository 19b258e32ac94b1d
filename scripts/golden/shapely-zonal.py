#!/usr/bin/python3
"""Brute-force zonal statistics for a sample of Hunan counties: an oracle independent of terra and exactextract.

Run with Debian's python (GDAL osgeo + shapely 1.8 + numpy), from the repo root:
    /usr/bin/python3 scripts/golden/shapely-zonal.py [data/demo] [test/goldens]          # 10-county sample
    /usr/bin/python3 scripts/golden/shapely-zonal.py --all [data/demo] [test/goldens]    # all 122 counties (~10 min)

Every raster cell in the county's bounding box is built as a shapely box from the geotransform and intersected
with the county polygon (GEOS); coverage fraction c = area(cell ∩ county) / area(cell), planar in the raster CRS.
Cells wholly inside (prepared `contains`) get exactly 1, cells not touching get 0.  Same statistics and
variants as scripts/golden/terra-zonal.R:
    exact           no-data cells excluded
    exact-nodata0   no-data cells counted with value 0
    centre          cell counts wholly iff its centre is inside the polygon (shapely `contains` of the centre point)
For the Albers DMSP raster the county is reprojected with OGR (GDAL/PROJ, no densification), like terra::project;
with --all the DMSP rasters also get the variant
    exact-densify001deg   rings densified BEFORE projecting exactly as ntl-pipeline's reprojectZones does by
                          default (src/geo/area.ts densify): each lon/lat segment split into
                          k = max(1, ceil(hypot(dx, dy) / 0.01)) equal parts, linearly in degrees.
Output: test/goldens/zonal-hunan-shapely-sample.csv (raster,variant,id,count,sum,mean,min,max; %.17g), or with
--all one file per raster and variant, test/goldens/zonal-hunan-<raster>-<variant>-shapely.csv (id,count,...).
Sums use math.fsum (correctly rounded), so the only error left is GEOS's per-cell intersection area (~1e-16 rel.).
Check: with no-data as 0, Σ c_i equals area(county)/area(cell) to ~1e-14 relative for every county.
"""
import json
import math
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr
from shapely import wkb
from shapely.geometry import Point, box, shape
from shapely.prepared import prep

ALL = "--all" in sys.argv[1:]
_pos = [a for a in sys.argv[1:] if a != "--all"]
DATA = _pos[0] if len(_pos) > 0 else "data/demo"
OUT = _pos[1] if len(_pos) > 1 else "test/goldens"

# 430102 芙蓉区 smallest urban district; 431222 沅陵县 largest; 430181 浏阳市 large, easternmost; 431129 江华
# southernmost; 431227 新晃 westernmost; 430726 石门县 northernmost; multipolygons 431128 新田县 (3 parts),
# 430104 岳麓区 (urban, 2 parts); polygons with holes 431103 冷水滩区, 430321 湘潭县.
# (No Hunan county touches the edge of either raster clip: margins ≥ 0.37° / ≥ 44 km.)
SAMPLE = ["430102", "431222", "430181", "431129", "431227", "430726", "431128", "430104", "431103", "430321"]

RASTERS = [
    ("viirs2012", "viirs_like/2012_8bit_hunan.tif", ["exact", "exact-nodata0"]),
    ("viirs2013", "viirs_like/2013_8bit_hunan.tif", ["exact", "exact-nodata0"]),
    ("viirs2022", "viirs_like/2022_8bit_hunan.tif", ["exact", "exact-nodata0", "centre"]),
    ("dmsp2018", "dmsp_like/DMSP-like2018_hunan.tif", ["exact", "exact-nodata0", "exact-densify001deg"]),
    ("dmsp2021", "dmsp_like/DMSP-like2021_hunan.tif", ["exact", "exact-nodata0", "exact-densify001deg"]),
]


def fmt(x):
    return "" if x is None else "%.17g" % x


def load_counties():
    """{id: feature} in file order (all counties with --all, else the sample)."""
    with open(os.path.join(DATA, "hunan_counties.geojson"), encoding="utf-8") as f:
        fc = json.load(f)
    by_id = {ft["properties"]["Code_County"]: ft for ft in fc["features"]}
    assert len(by_id) == len(fc["features"]) == 122
    return by_id if ALL else {cid: by_id[cid] for cid in SAMPLE}


def densify_ring(coords, step):
    """Same arithmetic as src/geo/area.ts densify(): k = max(1, ceil(hypot/step)), x0 + ((x1 - x0) * j) / k."""
    out = [coords[0]]
    for (x0, y0), (x1, y1) in zip(coords, coords[1:]):
        k = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
        for j in range(1, k):
            out.append((x0 + ((x1 - x0) * j) / k, y0 + ((y1 - y0) * j) / k))
        out.append((x1, y1))
    return out


def densify_geojson(geometry, step):
    def poly(rings):
        return [densify_ring([tuple(p[:2]) for p in ring], step) for ring in rings]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": poly(geometry["coordinates"])}
    assert geometry["type"] == "MultiPolygon"
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geometry["coordinates"]]}


def to_raster_crs(feature, ds, densify_deg=None):
    """shapely geometry of the feature in the raster's CRS (OGR transform, traditional lon/lat axis order)."""
    gj = feature["geometry"] if densify_deg is None else densify_geojson(feature["geometry"], densify_deg)
    geom = shape(gj)
    srs = osr.SpatialReference()
    srs.ImportFromWkt(ds.GetProjection())
    if srs.IsGeographic():
        return geom
    src = osr.SpatialReference()
    src.ImportFromEPSG(4326)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    g = ogr.CreateGeometryFromWkb(geom.wkb)
    assert g.Transform(osr.CoordinateTransformation(src, srs)) == 0
    return wkb.loads(bytes(g.ExportToWkb()))


def cells(geom, gt, nx, ny):
    """Yield (row, col, fraction, centre_inside) for every cell of the grid meeting the polygon's bbox."""
    x0, dx, _, y0, _, dy = gt
    assert gt[2] == 0 and gt[4] == 0 and dx > 0 and dy < 0
    minx, miny, maxx, maxy = geom.bounds
    c0 = max(0, int(math.floor((minx - x0) / dx)) - 1)
    c1 = min(nx - 1, int(math.floor((maxx - x0) / dx)) + 1)
    r0 = max(0, int(math.floor((maxy - y0) / dy)) - 1)
    r1 = min(ny - 1, int(math.floor((miny - y0) / dy)) + 1)
    pg = prep(geom)
    for r in range(r0, r1 + 1):
        top = y0 + r * dy
        bottom = y0 + (r + 1) * dy
        for c in range(c0, c1 + 1):
            left = x0 + c * dx
            right = x0 + (c + 1) * dx
            cell = box(left, bottom, right, top)
            if not pg.intersects(cell):
                continue
            if pg.contains(cell):
                frac = 1.0
            else:
                frac = geom.intersection(cell).area / cell.area
            centre = pg.contains(Point(x0 + (c + 0.5) * dx, y0 + (r + 0.5) * dy))
            yield r, c, frac, centre


def stats(vals_fracs):
    vals_fracs = [(v, f) for v, f in vals_fracs if f > 0]
    if not vals_fracs:
        return 0.0, 0.0, None, None, None
    # math.fsum: correctly rounded sums, so the oracle carries no accumulation error of its own.
    count = math.fsum(f for _, f in vals_fracs)
    total = math.fsum(v * f for v, f in vals_fracs)
    vs = [v for v, _ in vals_fracs]
    return count, total, total / count, min(vs), max(vs)


def main():
    counties = load_counties()
    rows = ["raster,variant,id,count,sum,mean,min,max"]
    per_file = {}
    for rname, rpath, variants in RASTERS:
        if not ALL and rname == "dmsp2018":
            continue
        ds = gdal.Open(os.path.join(DATA, rpath))
        band = ds.GetRasterBand(1)
        arr = band.ReadAsArray().astype(np.float64)
        nd = band.GetNoDataValue()
        valid = np.ones(arr.shape, bool) if nd is None else arr != nd
        gt = ds.GetGeoTransform()
        for cid in counties:
            geom = to_raster_crs(counties[cid], ds)
            cs = list(cells(geom, gt, ds.RasterXSize, ds.RasterYSize))
            for variant in variants:
                if variant == "exact-densify001deg":
                    if not ALL:
                        continue
                    gd = to_raster_crs(counties[cid], ds, densify_deg=0.01)
                    vf = [(arr[r, c], f) for r, c, f, _ in cells(gd, gt, ds.RasterXSize, ds.RasterYSize) if valid[r, c]]
                    st = stats(vf)
                    per_file.setdefault((rname, variant), []).append(",".join([cid] + [fmt(x) for x in st]))
                    continue
                if variant == "exact":
                    vf = [(arr[r, c], f) for r, c, f, _ in cs if valid[r, c]]
                elif variant == "exact-nodata0":
                    vf = [(arr[r, c] if valid[r, c] else 0.0, f) for r, c, f, _ in cs]
                elif variant == "centre":
                    vf = [(arr[r, c], 1.0) for r, c, _, inside in cs if inside and valid[r, c]]
                else:
                    raise ValueError(variant)
                st = stats(vf)
                rows.append(",".join([rname, variant, cid] + [fmt(x) for x in st]))
                per_file.setdefault((rname, variant), []).append(",".join([cid] + [fmt(x) for x in st]))
            # area identity (every county lies inside the raster): Σ c over all cells = area / cell area
            total = math.fsum(f for _, _, f, _ in cs)
            expect = geom.area / (gt[1] * -gt[5])
            assert abs(total - expect) <= 1e-12 * expect, (rname, cid, total, expect)
            print(rname, cid, len(cs), "cells", file=sys.stderr, flush=True)
    if ALL:
        for (rname, variant), lines in per_file.items():
            path = os.path.join(OUT, "zonal-hunan-%s-%s-shapely.csv" % (rname, variant))
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(["id,count,sum,mean,min,max"] + lines) + "\n")
            print("wrote", path, file=sys.stderr)
        return
    path = os.path.join(OUT, "zonal-hunan-shapely-sample.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
