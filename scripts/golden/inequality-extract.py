#!/usr/bin/python3
"""Compact test input for the inequality goldens: the county mean brightness of the Hunan demo run
(viirs_like series) with the prefecture code, year and area as a weight.

Usage: npm run build && node bin/ntl.js run pipelines/hunan-demo.yaml --out /tmp/hd
       /usr/bin/python3 scripts/golden/inequality-extract.py /tmp/hd/panel.csv test/goldens/inequality-hunan-input.csv
"""
import csv
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, newline='', encoding='utf-8') as f:
    rows = [r for r in csv.DictReader(f) if r['source'] == 'viirs_like']
rows.sort(key=lambda r: (r['unit_id'], int(r['year'])))
with open(dst, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['unit_id', 'parent_id', 'year', 'mean', 'area_km2'])
    for r in rows:
        w.writerow([r['unit_id'], r['parent_id'], r['year'], r['mean'], r['area_km2']])
