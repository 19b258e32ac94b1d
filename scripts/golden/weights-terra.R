# Golden weighted zonal statistics (a weighting raster on another grid), computed with R terra, independent of
# ntl-pipeline's coverage code: terra::extract(exact = TRUE) gives each cell's coverage fraction on the common
# grid, and exactextract's formulas are evaluated by hand here.
#
# Usage (from the repo root):
#   npx tsx scripts/golden/weights-rasters.ts RASTER_DIR        # the raster pairs (test/helpers/weights-rasters.ts)
#   Rscript scripts/golden/weights-terra.R RASTER_DIR [data/demo] [test/goldens]
# Tested with R terra 1.7.3 / GDAL 3.6.2 with ogr2ogr (Debian bookworm: r-cran-terra, gdal-bin).
#
# exactextract (RasterStats::process with weights; Grid::common_grid; RasterView) computes coverage on the common
# grid — the finer of the two grids when the resolutions are integer multiples — and gives each common cell the
# value and weight of the value / weight cell containing it. Per zone, over common cells k with a valid value:
#   weighted_sum  = Σ c_k x_k w_k          weighted_mean = Σ c_k x_k w_k / Σ c_k w_k
# ntl-pipeline adds weight_sum = Σ w_k · (covered area of k / area of its weight cell) and
# per_weight = sum / weight_sum, with sum = Σ c_i x_i on the value grid. A cell with no weight takes the case's
# default weight (exactextract's default_weight).
# Common grid per case (d = the value clip's cell size):
#   coarser3  weights 3d, aligned: the common grid is the value grid; f = 1/9 of a weight cell per common cell
#   finer3    values 3d, weights d: the common grid is the weight grid; f = 1
#   ratio2_5  weights 2.5d, shifted d/2: exactextract refuses this pair; ntl-pipeline uses the overlay of both grids
#             with coverage measured in d × d cells. Here: a d/2 grid refining both, so c_k (in d-cells) = Σ c_sub / 4
#             and f = Σ c_sub / 25.
# Coverage fractions: as in terra-zonal.R, both layers carry the Cartesian "local" CRS so terra's fractions are
# planar (exactextract's definition) rather than geodesic; terra stores them in float32, so agreement is ~1e-7
# relative, not to the last digit. Cell values at a common cell are read at its centre (terra::extract at points).

suppressPackageStartupMessages(library(terra))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript scripts/golden/weights-terra.R RASTER_DIR [data/demo] [test/goldens]")
rdir <- args[[1]]
data_dir <- if (length(args) >= 2) args[[2]] else "data/demo"
out_dir <- if (length(args) >= 3) args[[3]] else "test/goldens"
ids_wanted <- c("430102", "430202", "430408", "431122", "431322")

gj <- file.path(data_dir, "hunan_counties.geojson")
gpkg <- tempfile(fileext = ".gpkg")
# terra 1.7.3 cannot read a layer mixing Polygon and MultiPolygon: promote to MultiPolygon (coordinates unchanged)
stopifnot(system2("ogr2ogr", c("-f", "GPKG", "-nlt", "MULTIPOLYGON", "-nln", "counties", gpkg, gj)) == 0)
v <- vect(gpkg)
v <- v[as.character(v$Code_County) %in% ids_wanted, ]
ids <- as.character(v$Code_County)
stopifnot(length(ids) == length(ids_wanted))
crs(v) <- "local"

load_local <- function(path) { r <- rast(path); crs(r) <- "local"; r }
v2022 <- file.path(data_dir, "viirs_like", "2022_8bit_hunan.tif")
cases <- list(
  list(name = "coarser3", values = v2022, weights = file.path(rdir, "weights_coarser3.tif"), default = 0.5, grid = "values", s = 1, f = 1 / 9),
  list(name = "finer3", values = file.path(rdir, "values_finer3.tif"), weights = file.path(rdir, "weights_finer3.tif"), default = 0, grid = "weights", s = 1, f = 1),
  list(name = "ratio2_5", values = v2022, weights = file.path(rdir, "weights_ratio2_5.tif"), default = NA, grid = "half", s = 1 / 4, f = 1 / 25)
)

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
lines <- "case,id,sum,weighted_sum,weighted_mean,weight_sum,per_weight"
for (cs in cases) {
  vr <- load_local(cs$values)
  wr <- load_local(cs$weights)
  # value-grid sum (for per_weight)
  ev <- extract(vr, v, exact = TRUE)
  names(ev) <- c("ID", "value", "fraction")
  ev <- ev[!is.na(ev$value), ]
  # common grid
  tmpl <- switch(cs$grid, values = rast(vr), weights = rast(wr), half = disagg(rast(vr), 2))
  values(tmpl) <- 1
  e <- extract(tmpl, v, exact = TRUE, cells = TRUE)
  names(e) <- c("ID", "one", "cell", "fraction")
  e <- e[e$fraction > 0, ]
  xy <- xyFromCell(tmpl, e$cell)
  e$x <- extract(vr, xy)[, 1]
  e$w <- extract(wr, xy)[, 1]
  e <- e[!is.na(e$x), ]
  for (k in seq_along(ids)) {
    s <- e[e$ID == k, ]
    sum_v <- sum(ev$value[ev$ID == k] * ev$fraction[ev$ID == k])
    w <- s$w
    if (is.na(cs$default) && any(is.na(w))) {
      out <- c(sum_v, NA, NA, NA, NA)
    } else {
      w[is.na(w)] <- cs$default
      cc <- s$fraction * cs$s
      ws <- sum(cc * s$x * w)
      cw <- sum(cc * w)
      wsum <- sum(s$fraction * cs$f * w)
      out <- c(sum_v, ws, ws / cw, wsum, sum_v / wsum)
    }
    lines <- c(lines, paste(c(cs$name, ids[k], fmt(out)), collapse = ","))
  }
  message(cs$name, ": ", nrow(e), " common cells")
}
path <- file.path(out_dir, "zonal-weights-terra.csv")
writeLines(lines, path)
message("wrote ", path)
