# Oracle for geodesicAreaKm2 on all 2,901 mapchina counties: sf::st_area with s2 switched off
# (sf_use_s2(FALSE)), which for lon/lat data calls lwgeom::st_geod_area, i.e. GeographicLib's C library
# (geod_polygonarea, Karney 2013) on the CRS's ellipsoid (WGS84 here). With s2 on, st_area would use a sphere.
# Writes one row per county, 17 significant digits.
# Run: Rscript scripts/golden/geodesic-area.R  (writes test/goldens/geodesic-area-china.csv)
suppressPackageStartupMessages({ library(sf); library(lwgeom) })
sf_use_s2(FALSE)
x <- st_read("data/china/mapchina_counties/china_counties_mapchina.shp", quiet = TRUE)
a <- as.numeric(st_area(x)) / 1e6
out <- data.frame(id = x$county_cd, area_km2 = formatC(a, digits = 17, format = "g"))
out <- out[order(out$id), ]
write.csv(out, "test/goldens/geodesic-area-china.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("sf %s, lwgeom %s (GeographicLib via lwgeom), s2 off: %d polygons, total %.6f km2\n",
  packageVersion("sf"), packageVersion("lwgeom"), nrow(out), sum(a)))
