# Oracle for geodesicAreaKm2: terra::expanse on lon/lat polygons is the geodesic area on the WGS84 ellipsoid
# (GeographicLib, Karney 2013). Writes one row per Hunan county, 17 significant digits.
# Run: Rscript scripts/golden/vector-area-hunan.R  (writes test/goldens/vector-area-hunan.csv)
suppressMessages(library(terra))
# terra 1.7 cannot read the mixed Polygon/MultiPolygon GeoJSON, so read the same data from the shapefile.
v <- vect("data/china/mapchina_counties/china_counties_mapchina.shp")
v <- v[v$prov_cd == "43", ]
a <- expanse(v, unit = "km")
out <- data.frame(id = v$county_cd, area_km2 = formatC(a, digits = 17, format = "g"))
out <- out[order(out$id), ]
write.csv(out, "test/goldens/vector-area-hunan.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("terra %s: %d polygons, total %.6f km2\n", packageVersion("terra"), nrow(out), sum(a)))
