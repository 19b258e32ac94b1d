# Deterministic (seeded) staggered-adoption panels for the Bacon / Callaway–Sant'Anna / Sun–Abraham tests.
# Run from the repo root: Rscript scripts/golden/staggered-fixtures.R  → test/fixtures/staggered/*.csv
set.seed(20240607)
out <- "test/fixtures/staggered"
dir.create(out, recursive = TRUE, showWarnings = FALSE)
w <- function(df, name) write.csv(df, file.path(out, name), row.names = FALSE, quote = FALSE, na = "")

# panel(): units with first-treated period g (0 = never), outcome = unit FE + time FE + effect + noise.
panel <- function(cohorts, sizes, years, effect, noise = 1) {
  g <- rep(cohorts, sizes)
  n <- length(g)
  alpha <- rnorm(n, 0, 2)
  lambda <- cumsum(rnorm(length(years), 0.3, 0.5))
  rows <- expand.grid(year = years, unit = seq_len(n))
  rows$g <- g[rows$unit]
  rows$d <- as.integer(rows$g > 0 & rows$year >= rows$g)
  rows$tau <- ifelse(rows$d == 1, effect(rows$g, rows$year), 0)
  rows$y <- alpha[rows$unit] + lambda[match(rows$year, years)] + rows$tau + rnorm(nrow(rows), 0, noise)
  rows$id <- sprintf("u%03d", rows$unit)
  rows
}

# 1. Bacon: 5 timing groups incl. never- and always-treated, 10 years, heterogeneous dynamic effects.
b <- panel(c(0, 2001, 2004, 2006, 2009), c(7, 4, 6, 5, 8), 2001:2010,
           function(g, t) 1 + 0.3 * (t - g) + (g - 2004) * 0.2)
w(data.frame(id = b$id, year = b$year, y = round(b$y, 6), d = b$d), "bacon.csv")

# 2. CS: never-treated, three cohorts, units treated in the first period (did drops them), 8 periods.
cs <- panel(c(0, 2003, 2005, 2007, 2001), c(14, 9, 11, 8, 3), 2001:2008,
            function(g, t) 0.5 + 0.4 * (t - g) - 0.1 * (g - 2003))
cs$first_treat <- cs$g
w(data.frame(id = cs$id, year = cs$year, y = round(cs$y, 6), first_treat = cs$first_treat), "cs.csv")

# 3. Simulation with a planted heterogeneous, dynamic effect (tau = true effect of each cell):
#    effects grow 0.5 per year since treatment and earlier cohorts gain more, so TWFE's forbidden comparisons bias it.
sim <- panel(c(0, 2004, 2007, 2010), c(60, 80, 80, 80), 2001:2012,
             function(g, t) (1 + (t - g)) * ifelse(g == 2004, 0.8, ifelse(g == 2007, 0.5, 0.3)), noise = 0.5)
w(data.frame(id = sim$id, year = sim$year, y = round(sim$y, 6), first_treat = sim$g, d = sim$d, tau = round(sim$tau, 6)), "sim.csv")
