#!/usr/bin/python3
"""Independent oracle for src/zonal coverage fractions.

For each test polygon, every cell of a window gets fraction = area(polygon ∩ cell box) / area(cell box),
computed by shapely (GEOS) per-cell intersection — deliberately the slow, obviously-right method.
Cell edges are xmin + c*dx and ymax - r*dy (never accumulated), exactly as src/zonal/grid.ts defines them.

Run with the Debian python that has shapely (not the first python3 on PATH):
    /usr/bin/python3 scripts/golden/coverage-shapely.py
Writes test/goldens/coverage-synthetic.json and test/goldens/coverage-hunan-<code>.json:
    {"grid": {...}, "window": {row0,row1,col0,col1}, "parts": [[[[x,y],...], ...hole rings], ...],
     "cells": [[row, col, fraction], ...]}   (sparse: fraction > 0 only; all other window cells are 0)
"""
import json
import math
import os
import random

from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.geometry.polygon import orient
from shapely.prepared import prep

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'goldens')
HUNAN = os.path.join(ROOT, 'data', 'demo', 'hunan_counties.geojson')

UNIT = dict(xmin=0.0, ymax=20.0, dx=1.0, dy=1.0, nx=20, ny=20)
ODD = dict(xmin=10.1, ymax=50.3, dx=0.25, dy=0.2, nx=40, ny=40)
# The Chen et al. 2021 Hunan clip grid (gdalinfo of hunan_clip/*_8bit_hunan.tif).
HUNAN_GRID = dict(xmin=108.399705360488369, ymax=30.502295479978908, dx=0.004491576421, dy=0.004491576421,
                  nx=1403, ny=1380)


def ex(g, c):
    return g['xmin'] + c * g['dx']


def ey(g, r):
    return g['ymax'] - r * g['dy']


def full_window(g, geom):
    x0, y0, x1, y1 = geom.bounds
    c0 = max(0, math.floor((x0 - g['xmin']) / g['dx']))
    c1 = min(g['nx'], math.ceil((x1 - g['xmin']) / g['dx']))
    r0 = max(0, math.floor((g['ymax'] - y1) / g['dy']))
    r1 = min(g['ny'], math.ceil((g['ymax'] - y0) / g['dy']))
    return dict(row0=r0, row1=r1, col0=c0, col1=c1)


def oriented_parts(geom):
    polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    parts = []
    for p in polys:
        p = orient(p, sign=1.0)  # exterior CCW, holes CW, as src/vector/types.ts promises
        rings = [list(map(list, p.exterior.coords))] + [list(map(list, h.coords)) for h in p.interiors]
        parts.append(rings)
    return parts


def fractions(g, geom, w):
    pg = prep(geom)
    cells = []
    for r in range(w['row0'], w['row1']):
        for c in range(w['col0'], w['col1']):
            b = box(ex(g, c), ey(g, r + 1), ex(g, c + 1), ey(g, r))
            if not pg.intersects(b):
                continue
            f = geom.intersection(b).area / b.area
            if f > 0:
                cells.append([r, c, 1 if abs(f - 1) < 1e-13 else f])
    return cells


def case(name, g, geom, window=None):
    assert geom.is_valid, name
    w = window or full_window(g, geom)
    return dict(name=name, grid=g, window=w, parts=oriented_parts(geom), area=geom.area,
                cells=fractions(g, geom, w))


def star(rng, cx, cy, rmin, rmax, n):
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        rad = rng.uniform(rmin, rmax)
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return Polygon(pts)


def synthetic():
    g, o = UNIT, ODD
    cases = [
        case('square-offset', g, box(2.3, 3.7, 7.9, 11.2)),
        case('square-on-grid-lines', g, box(2, 3, 7, 11)),
        case('triangle', g, Polygon([(1.2, 1.1), (17.6, 4.3), (6.4, 18.9)])),
        case('concave-L', g, Polygon([(1.5, 1.5), (9.5, 1.5), (9.5, 4.25), (4.25, 4.25), (4.25, 12.5), (1.5, 12.5)])),
        case('concave-comb', g, Polygon([(1, 1), (15.5, 1), (15.5, 9), (13, 9), (13, 3), (11.2, 3), (11.2, 9.7),
                                         (8.5, 9.7), (8.5, 3.5), (6.1, 3.5), (6.1, 9), (1, 9)])),
        case('hole', g, Polygon([(1.3, 1.3), (15.7, 1.3), (15.7, 14.6), (1.3, 14.6)],
                                [[(4.5, 4.5), (4.5, 9.2), (10.8, 9.2), (10.8, 4.5)]])),
        case('two-holes-on-grid', g, Polygon([(1, 1), (16, 1), (16, 16), (1, 16)],
                                             [[(3, 3), (3, 7), (7, 7), (7, 3)], [(9.5, 9.5), (9.5, 13), (13, 13), (13, 9.5)]])),
        case('multipolygon', g, MultiPolygon([box(1.2, 1.2, 4.8, 4.6),
                                              Polygon([(8.1, 8.1), (15.3, 9.4), (11.1, 16.7)]),
                                              Polygon([(15.5, 1.5), (18.5, 1.5), (18.5, 6.5), (15.5, 6.5)],
                                                      [[(16.5, 2.5), (16.5, 5.5), (17.5, 5.5), (17.5, 2.5)]])])),
        case('vertices-on-corners-diamond', g, Polygon([(10, 2), (18, 10), (10, 18), (2, 10)])),
        case('vertices-on-edges', g, Polygon([(3, 2.5), (12.5, 2), (14, 9.5), (8, 14), (3, 9.3)])),
        case('diagonal-through-corners', g, Polygon([(2, 2), (14, 14), (2, 14)])),
        case('tiny-in-one-cell', g, Polygon([(5.21, 7.33), (5.38, 7.31), (5.29, 7.52)])),
        case('tiny-on-corner', g, box(4.9, 6.95, 5.05, 7.1)),
        case('sliver', g, Polygon([(1.05, 3.0), (18.7, 3.02), (18.7, 3.021), (1.05, 3.0004)])),
        case('sliver-diagonal', g, Polygon([(1.1, 1.2), (18.3, 17.9), (18.25, 17.9)])),
        case('larger-than-window', g, Polygon([(-5.5, -3.2), (25.3, -4.1), (26.2, 23.7), (-6.1, 24.4)]),
             window=dict(row0=0, row1=20, col0=0, col1=20)),
        case('window-cuts-polygon', g, star(random.Random(7), 10.3, 9.8, 4.0, 9.5, 37),
             window=dict(row0=3, row1=14, col0=5, col1=17)),
        case('odd-grid-square', o, box(11.03, 44.71, 16.88, 49.02)),
        case('odd-grid-on-edges', o, box(ex(o, 3), ey(o, 30), ex(o, 21), ey(o, 4))),
        case('odd-grid-triangle-hole', o, Polygon([(10.4, 42.6), (19.7, 43.9), (13.9, 50.1)],
                                                  [[(12.1, 44.2), (14.3, 46.9), (15.6, 44.5)]])),
    ]
    rng = random.Random(20240611)
    for i in range(4):
        cases.append(case(f'random-star-{i}', o, star(rng, rng.uniform(13, 17), rng.uniform(45, 48), 0.3, 3.2, 60)))
    return cases


def hunan(code):
    with open(HUNAN, encoding='utf-8') as f:
        fc = json.load(f)
    feat = next(ft for ft in fc['features'] if ft['properties']['Code_County'] == code)
    geom = shape(feat['geometry'])
    if not geom.is_valid:
        geom = geom.buffer(0)
    return case(f'hunan-{code}', HUNAN_GRID, geom)


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, separators=(',', ':'))
    print(f'{path}: {os.path.getsize(path)} bytes')


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write('coverage-synthetic.json', synthetic())
    # 430302: a two-part MultiPolygon; 431103: a county with a hole (an enclave).
    for code in ('430302', '431103'):
        write(f'coverage-hunan-{code}.json', [hunan(code)])
