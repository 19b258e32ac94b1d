#!/bin/sh
# exactextract itself on the weighting-raster golden's raster pairs (test/helpers/weights-rasters.ts), as a second
# oracle beside R terra (weights-terra.R). exactextract is not part of this repository: build its CLI locally as
# described in scripts/bench/README.md and point EXACTEXTRACT at the binary.
#
#   npx tsx scripts/golden/weights-rasters.ts RASTER_DIR
#   EXACTEXTRACT=<build>/exactextract sh scripts/golden/weights-exactextract.sh RASTER_DIR [data/demo] [test/goldens]
#
# Writes zonal-weights-exactextract.csv: case,id,sum,weighted_sum,weighted_mean for the two pairs exactextract
# accepts (coarser3, finer3; default_weight as in weights-terra.R). For ratio2_5 (2.5× ratio, half-cell shift) it
# records exactextract's refusal message. exactextract stores coverage as float32 and prints 15 significant digits.
# --grid-compat-tol=1e-6 (the library default) is passed explicitly: this CLI build refused the aligned 3x pair without it.
set -eu
EE=${EXACTEXTRACT:-exactextract}
rdir=$1
data=${2:-data/demo}
out=${3:-test/goldens}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ogr2ogr -f GPKG -nlt MULTIPOLYGON -nln counties \
  -where "Code_County IN ('430102','430202','430408','431122','431322')" "$tmp/c.gpkg" "$data/hunan_counties.geojson"
v2022="$data/viirs_like/2022_8bit_hunan.tif"
csv="$out/zonal-weights-exactextract.csv"
echo "case,id,sum,weighted_sum,weighted_mean" > "$csv"
run() { # name values weights default_weight
  "$EE" -p "$tmp/c.gpkg" -f Code_County -r "v:$2" -w "w:$3" \
    -s "sum=sum(v)" -s "weighted_sum=weighted_sum(v,w,default_weight=$4)" -s "weighted_mean=weighted_mean(v,w,default_weight=$4)" \
    -o "$tmp/$1.csv" --threads 1 --grid-compat-tol=1e-6
  tail -n +2 "$tmp/$1.csv" | sed "s/^/$1,/" >> "$csv"
}
run coarser3 "$v2022" "$rdir/weights_coarser3.tif" 0.5
run finer3 "$rdir/values_finer3.tif" "$rdir/weights_finer3.tif" 0
if "$EE" -p "$tmp/c.gpkg" -f Code_County -r "v:$v2022" -w "w:$rdir/weights_ratio2_5.tif" -s "weighted_mean(v,w)" -o "$tmp/r.csv" --grid-compat-tol=1e-6 2> "$tmp/err.txt"; then
  echo "ratio2_5: exactextract accepted the 2.5x pair (unexpected)" >&2
else
  echo "ratio2_5: exactextract refuses: $(tr '\n' ' ' < "$tmp/err.txt")" >&2
fi
echo "wrote $csv" >&2
