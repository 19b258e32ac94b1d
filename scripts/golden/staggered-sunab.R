# Golden for Sun & Abraham: R fixest::feols(y ~ sunab(first_treat, year) | id + year, cluster = ~id) with the
# per-period aggregation (summary default) and agg = "ATT", on test/fixtures/staggered/sim.csv (never-treated control)
# and on sim.csv without the never-treated units (last-treated cohort 2010 as control: periods ≥ 2010 dropped, cohort recoded).
# Also on test/fixtures/staggered/cs.csv (unequal cohort sizes) without its units treated in the first period.
# Run from the repo root: Rscript scripts/golden/staggered-sunab.R  → test/goldens/staggered-sunab.json
suppressMessages({ library(fixest); library(jsonlite) })
run <- function(d, label) {
  m <- feols(y ~ sunab(first_treat, year) | id + year, data = d, cluster = ~id)
  per <- coeftable(summary(m))
  att <- coeftable(summary(m, agg = "ATT"))
  raw <- coeftable(summary(m, agg = FALSE))
  list(case = label,
       terms = data.frame(at = as.numeric(sub("year::", "", rownames(per))), att = per[, 1], se = per[, 2]),
       att = unname(att["ATT", 1]), se = unname(att["ATT", 2]),
       coefficients = data.frame(name = rownames(raw), coef = raw[, 1], se = raw[, 2]))
}
sim <- read.csv("test/fixtures/staggered/sim.csv")
sim$first_treat[sim$first_treat == 0] <- 10000  # fixest: a cohort outside the periods = never treated
last <- subset(sim, first_treat != 10000 & year < 2010)
last$first_treat[last$first_treat == 2010] <- 10000
cs <- read.csv("test/fixtures/staggered/cs.csv")
cs <- subset(cs, first_treat != 2001)
cs$first_treat[cs$first_treat == 0] <- 10000
res <- list(source = paste0("fixest ", packageVersion("fixest"), ", ", R.version.string),
            cases = list(run(sim, "never"), run(last, "last"), run(cs, "cs")))
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/goldens/staggered-sunab.json")
