# Golden zonal statistics for the Hunan demo data, computed with R terra (independent of ntl-pipeline).
#
# Usage (from the repo root):   Rscript scripts/golden/terra-zonal.R [data/demo] [test/goldens]
# Tested with R terra 1.7.3 / GDAL 3.6.2 / PROJ 9.1 (Debian bookworm).
#
# Definitions (methods.md §1, exactextract conventions), per county over raster cells i with value x_i and
# coverage fraction c_i = planar area(cell ∩ county) / area(cell) in the raster CRS:
#   count = Σ c_i (cells with a valid value), sum = Σ x_i c_i, mean = sum / count,
#   min / max over valid cells with c_i > 0 (coverage ignored).
# Variants:
#   exact               no-data cells excluded (the chen2021 clips declare NoData = 0, terra reads them as NA)
#   exact-nodata0       no-data cells treated as value 0 (so they also add their c_i to count)
#   exact-densify1km    DMSP only: counties densified (geodesic, ≤ 1000 m between vertices) before projecting
#   centre              cell-centre rule: terra::extract() without exact; a cell counts wholly (c_i = 1) iff its
#                       centre is inside the polygon (GDAL rasterize semantics); no-data excluded
#   exact-terra-geodesic  viirs2022 and dmsp2021 only, for documentation: terra's own default (see below)
#
# IMPORTANT — what terra::extract(exact = TRUE) computes (measured with terra 1.7.3, see test/goldens/README.md):
#   * when the raster has a real CRS (lon/lat OR projected), the fraction is a GEODESIC area ratio
#     (ellipsoidal area of cell ∩ polygon / ellipsoidal area of cell, as terra::expanse), not the planar ratio
#     that exactextract and methods.md use; per-cell differences up to ~2e-5 (lon/lat, 0.0045° cells) and
#     ~3e-6 (Albers 1 km), county totals differ by up to ~5e-7 relative;
#   * when both layers carry the Cartesian "local" CRS, the fraction is planar, but stored in single precision
#     (float32): per-cell errors ≤ ~3e-8, county totals within ~1e-9..1e-7 relative of the exact value.
#   So the goldens below use the "local" trick (relabel the CRS AFTER any reprojection: coordinates unchanged)
#   and are accurate to ~1e-7 relative, NOT to the last digit. For last-digit checks use the
#   *-shapely.csv goldens (scripts/golden/shapely-zonal.py, double precision, exact area identity).
# A county with no valid cell gets count 0, sum 0 and EMPTY mean/min/max fields.
# Numbers are written with sprintf("%.17g") (round-trips a double exactly).

suppressPackageStartupMessages(library(terra))

args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) >= 1) args[[1]] else "data/demo"
out_dir <- if (length(args) >= 2) args[[2]] else "test/goldens"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# terra 1.7.3 cannot read a GeoJSON layer that mixes Polygon and MultiPolygon ("Unknown (any)"), so promote
# everything to MultiPolygon first with GDAL's vectortranslate (in-process via sf; coordinates unchanged).
gj <- file.path(data_dir, "hunan_counties.geojson")
gpkg <- tempfile(fileext = ".gpkg")
sf::gdal_utils("vectortranslate", gj, gpkg, options = c("-nlt", "MULTIPOLYGON", "-nln", "counties"))
v <- vect(gpkg)
stopifnot("Code_County" %in% names(v))
ids <- as.character(v$Code_County)
stopifnot(!anyDuplicated(ids), length(ids) == 122)

rasters <- list(
  viirs2012 = file.path(data_dir, "viirs_like", "2012_8bit_hunan.tif"),
  viirs2013 = file.path(data_dir, "viirs_like", "2013_8bit_hunan.tif"),
  viirs2022 = file.path(data_dir, "viirs_like", "2022_8bit_hunan.tif"),
  dmsp2018 = file.path(data_dir, "dmsp_like", "DMSP-like2018_hunan.tif"),
  dmsp2021 = file.path(data_dir, "dmsp_like", "DMSP-like2021_hunan.tif")
)

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

# e: data.frame(ID, value, fraction) as returned by terra::extract(..., exact = TRUE), one row per cell touched.
aggregate_cells <- function(e, n) {
  names(e) <- c("ID", "value", "fraction")
  e <- e[!is.na(e$value) & e$fraction > 0, , drop = FALSE]
  out <- data.frame(id = ids, count = 0, sum = 0, mean = NA_real_, min = NA_real_, max = NA_real_)
  for (k in seq_len(n)) {
    s <- e[e$ID == k, , drop = FALSE]
    if (nrow(s) == 0) next
    out$count[k] <- sum(s$fraction)
    out$sum[k] <- sum(s$value * s$fraction)
    out$mean[k] <- out$sum[k] / out$count[k]
    out$min[k] <- min(s$value)
    out$max[k] <- max(s$value)
  }
  out
}

write_golden <- function(df, name) {
  path <- file.path(out_dir, sprintf("zonal-hunan-%s.csv", name))
  lines <- c("id,count,sum,mean,min,max",
             paste(df$id, fmt(df$count), fmt(df$sum), fmt(df$mean), fmt(df$min), fmt(df$max), sep = ","))
  writeLines(lines, path)
  message("wrote ", path)
}

exact_cells <- function(r, vv, planar = TRUE) {
  if (planar) {
    crs(r) <- "local"
    crs(vv) <- "local"
  }
  # With "local", terra cannot transform to lon/lat for area and warns; it then uses planar areas (intended).
  e <- suppressWarnings(extract(r, vv, exact = TRUE))
  stopifnot(ncol(e) == 3, names(e)[3] == "fraction")
  e
}

for (rn in names(rasters)) {
  r <- rast(rasters[[rn]])
  # NoData as declared in the file (chen2021: 0; wu2021 2018: none; wu2021 2021: -128, which never occurs).
  vv <- if (is.lonlat(r)) v else project(v, crs(r))
  e <- exact_cells(r, vv)
  write_golden(aggregate_cells(e, nrow(v)), paste0(rn, "-exact"))

  e0 <- e
  e0[[2]][is.na(e0[[2]])] <- 0
  write_golden(aggregate_cells(e0, nrow(v)), paste0(rn, "-exact-nodata0"))

  if (!is.lonlat(r)) {
    # geodesic densification (vertices ≤ 1000 m apart along the geodesic) BEFORE projecting
    vd <- project(densify(v, interval = 1000), crs(r))
    write_golden(aggregate_cells(exact_cells(r, vd), nrow(v)), paste0(rn, "-exact-densify1km"))
  }
  if (rn %in% c("viirs2022", "dmsp2021")) {
    write_golden(aggregate_cells(exact_cells(r, vv, planar = FALSE), nrow(v)), paste0(rn, "-exact-terra-geodesic"))
  }
}

# Cell-centre rule for one raster: terra::extract without exact returns every cell whose centre is inside.
r <- rast(rasters[["viirs2022"]])
ec <- extract(r, v, ID = TRUE)
ec <- data.frame(ID = ec[[1]], value = ec[[2]], fraction = 1)
write_golden(aggregate_cells(ec, nrow(v)), "viirs2022-centre")
