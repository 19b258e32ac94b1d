# Goldens for src/spatial/adjacency.ts: spdep::poly2nb neighbour pairs (queen and rook) on the Hunan counties
# (data/demo/hunan_counties.geojson, id Code_County) and on all 2,901 mapchina counties
# (data/china/mapchina_counties/china_counties_mapchina.shp, id county_cd).
# Run from the repository root:  Rscript scripts/golden/adjacency-spdep.R
# Writes test/goldens/adjacency-{hunan,china}-{queen,rook}.csv (id_a,id_b with id_a < id_b, sorted) with spdep's
# default snap = sqrt(.Machine$double.eps) degrees (~1.5e-8 deg, ~1.7 mm), and the same with snap = 1e-4 deg
# (~11 m, metric-equivalent of a 10 m snap at these latitudes): adjacency-{hunan,china}-queen-snap1e-4.csv.
# spdep 1.2-7 / sf 1.0-9. Note spdep's rook (queen = FALSE) means "more than one boundary point within snap",
# which also counts two separate touching points; ntl's rook needs a shared stretch of positive length.
suppressPackageStartupMessages({ library(sf); library(spdep) })
sf_use_s2(FALSE)

pairs_of <- function(nb, ids) {
  a <- character(0); b <- character(0)
  for (i in seq_along(nb)) {
    js <- nb[[i]]
    js <- js[js != 0L]
    if (length(js) == 0) next
    a <- c(a, rep(ids[i], length(js))); b <- c(b, ids[js])
  }
  lo <- ifelse(a < b, a, b); hi <- ifelse(a < b, b, a)
  d <- unique(data.frame(id_a = lo, id_b = hi, stringsAsFactors = FALSE))
  d[order(d$id_a, d$id_b, method = "radix"), ]
}

write_pairs <- function(d, path) {
  write.csv(d, path, row.names = FALSE, quote = FALSE)
  cat(sprintf("%s: %d pairs\n", path, nrow(d)))
}

run <- function(x, ids, tag) {
  t0 <- proc.time()[["elapsed"]]
  q <- poly2nb(x, queen = TRUE)
  r <- poly2nb(x, queen = FALSE)
  q4 <- poly2nb(x, queen = TRUE, snap = 1e-4)
  cat(sprintf("%s: poly2nb x3 in %.1f s\n", tag, proc.time()[["elapsed"]] - t0))
  write_pairs(pairs_of(q, ids), sprintf("test/goldens/adjacency-%s-queen.csv", tag))
  write_pairs(pairs_of(r, ids), sprintf("test/goldens/adjacency-%s-rook.csv", tag))
  write_pairs(pairs_of(q4, ids), sprintf("test/goldens/adjacency-%s-queen-snap1e-4.csv", tag))
  isl <- ids[card(q) == 0]
  cat(sprintf("%s: islands (queen, default snap): %s\n", tag, paste(isl, collapse = " ")))
  cat(sprintf("%s: components (queen, default snap): %d\n", tag, n.comp.nb(q)$nc))
}

hunan <- st_read("data/demo/hunan_counties.geojson", quiet = TRUE)
run(hunan, as.character(hunan$Code_County), "hunan")

china <- st_read("data/china/mapchina_counties/china_counties_mapchina.shp", quiet = TRUE)
bad <- which(!st_is_valid(china))
cat(sprintf("china: invalid geometries: %s (made valid with st_make_valid)\n", paste(china$county_cd[bad], collapse = " ")))
if (length(bad) > 0) st_geometry(china)[bad] <- st_cast(st_make_valid(st_geometry(china)[bad]), "MULTIPOLYGON")
run(china, as.character(china$county_cd), "china")
