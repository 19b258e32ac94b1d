# Golden for the Goodman-Bacon decomposition: R bacondecomp::bacon() (0.1.3, which runs fixest::feols per 2×2)
# on test/fixtures/staggered/{bacon,sim}.csv, plus the TWFE β from fixest::feols(y ~ d | id + year).
# Run from the repo root: Rscript scripts/golden/staggered-bacon.R  → test/goldens/staggered-bacon.json
suppressMessages({ library(bacondecomp); library(fixest); library(jsonlite) })
one <- function(file) {
  d <- read.csv(file.path("test/fixtures/staggered", file))
  r <- bacon(y ~ d, data = d, id_var = "id", time_var = "year", quietly = TRUE)
  list(
    file = file,
    twfe = unname(coef(feols(y ~ d | id + year, d))["d"]),
    comparisons = data.frame(type = r$type, treated = r$treated,
                             control = ifelse(is.infinite(r$untreated), NA, r$untreated),
                             estimate = r$estimate, weight = r$weight)
  )
}
res <- list(source = paste0("bacondecomp ", packageVersion("bacondecomp"), ", fixest ", packageVersion("fixest"), ", ", R.version.string),
            cases = list(one("bacon.csv"), one("sim.csv")))
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "test/goldens/staggered-bacon.json")
