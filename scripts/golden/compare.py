#!/usr/bin/python3
"""Compare two zonal-statistics tables and print the largest relative difference per statistic.

    /usr/bin/python3 scripts/golden/compare.py A.csv B.csv [--raster R --variant V] [--id-col ID]

A and B are CSVs with an id column and some of count,sum,mean,min,max.  If a file has `raster`/`variant`
columns (the shapely sample), rows are filtered with --raster/--variant.  Only ids present in both are compared.
Relative difference = |a - b| / max(|a|, |b|) (0 when both are 0; empty fields must match exactly).
"""
import argparse
import csv

STATS = ["count", "sum", "mean", "min", "max"]


def load(path, raster, variant, id_col):
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if raster and row.get("raster", raster) != raster:
                continue
            if variant and row.get("variant", variant) != variant:
                continue
            key = row.get(id_col) or row.get("id")
            out[key.strip('"')] = row
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--raster")
    ap.add_argument("--variant")
    ap.add_argument("--id-col", default="id")
    ns = ap.parse_args()
    a = load(ns.a, ns.raster, ns.variant, ns.id_col)
    b = load(ns.b, ns.raster, ns.variant, ns.id_col)
    common = sorted(set(a) & set(b))
    print(f"{len(common)} common ids ({len(a)} in A, {len(b)} in B)")
    for s in STATS:
        worst, worst_id, mismatch = 0.0, None, 0
        for k in common:
            if s not in a[k] or s not in b[k]:
                continue
            x, y = a[k][s], b[k][s]
            if x in ("", "NA", "nan", "-nan") or y in ("", "NA", "nan", "-nan"):
                mismatch += (x in ("", "NA", "nan", "-nan")) != (y in ("", "NA", "nan", "-nan"))
                continue
            x, y = float(x), float(y)
            d = 0.0 if x == y else abs(x - y) / max(abs(x), abs(y))
            if d > worst or worst_id is None:
                worst, worst_id = max(d, worst), k if d >= worst else worst_id
        print(f"  {s:6s} max rel diff {worst:.3e} (id {worst_id}){'  EMPTY-FIELD MISMATCHES: %d' % mismatch if mismatch else ''}")


if __name__ == "__main__":
    main()
