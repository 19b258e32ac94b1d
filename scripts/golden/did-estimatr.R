# Generated DID panels (test/fixtures/did/*.csv) and reference estimates (test/goldens/did-estimatr.csv)
# from estimatr::lm_robust (fixed_effects=, clusters=, se_type="stata" / "HC1") and lm + sandwich::vcovCL.
# These count every absorbed fixed effect in K: compare with `ssc: 'full'`. Run from the repo root:
#   Rscript scripts/golden/did-estimatr.R
suppressMessages({ library(estimatr); library(sandwich) })
set.seed(20240607)
dir <- "test/fixtures/did"

make_panel <- function(units, years, staggered, continuous = FALSE) {
  d <- expand.grid(year = years, unit = seq_len(units))[, c("unit", "year")]
  alpha <- rnorm(units, 0, 2)
  lambda <- cumsum(rnorm(length(years), 0.1, 0.3))
  cohorts <- if (staggered) sample(c(years[4], years[6], years[8], NA), units, replace = TRUE, prob = c(.2, .2, .2, .4))
             else ifelse(runif(units) < 0.4, years[6], NA)
  d$cohort <- cohorts[d$unit]
  d$post <- as.integer(!is.na(d$cohort) & d$year >= d$cohort)
  intensity <- runif(units, 0.5, 2)
  d$D <- if (continuous) d$post * intensity[d$unit] else d$post
  d$x1 <- rnorm(nrow(d)) + 0.3 * alpha[d$unit]
  d$x2 <- rnorm(nrow(d))
  d$province <- (d$unit - 1) %/% 5 + 1
  d$regime <- sample(1:4, nrow(d), replace = TRUE)
  d$w <- round(runif(units, 0.5, 3), 3)[d$unit]
  d$y <- alpha[d$unit] + lambda[match(d$year, years)] + 0.8 * d$D + 0.5 * d$x1 - 0.2 * d$x2 + rnorm(nrow(d))
  d$cohort[is.na(d$cohort)] <- 0
  d
}

panels <- list(
  balanced = make_panel(60, 2001:2010, FALSE),
  staggered = make_panel(80, 2001:2012, TRUE),
  continuous = make_panel(70, 2001:2010, TRUE, continuous = TRUE)
)
unb <- make_panel(90, 2001:2011, TRUE)
unb <- unb[runif(nrow(unb)) > 0.2, ]
tab <- table(unb$unit)
unb <- unb[unb$unit %in% as.integer(names(tab[tab >= 2])), ]
panels$unbalanced <- unb

fmt <- function(x) formatC(x, digits = 17, format = "g")
rows <- list()
add <- function(case, model, fit_coef, fit_se, n, k, G) {
  for (term in c("D", "x1", "x2")) if (term %in% names(fit_coef)) {
    rows[[length(rows) + 1]] <<- data.frame(case = case, model = model, term = term, coef = fmt(fit_coef[[term]]),
                                             se = fmt(fit_se[[term]]), n = n, k = k, G = G)
  }
}
for (nm in names(panels)) {
  d <- panels[[nm]]
  write.csv(d, file.path(dir, paste0(nm, ".csv")), row.names = FALSE)
  G <- length(unique(d$unit))
  # CR1, every FE in K (estimatr "stata")
  m <- lm_robust(y ~ D + x1 + x2, data = d, fixed_effects = ~unit + year, clusters = unit, se_type = "stata")
  k_full <- 3 + length(unique(d$unit)) + length(unique(d$year)) - 1
  add(nm, "cr1_unit_year_controls", coef(m), m$std.error, nrow(d), k_full, G)
  m <- lm_robust(y ~ D, data = d, fixed_effects = ~unit + year, clusters = unit, se_type = "stata")
  add(nm, "cr1_unit_year", coef(m), m$std.error, nrow(d), 1 + k_full - 3, G)
  # HC1 with FE
  m <- lm_robust(y ~ D + x1 + x2, data = d, fixed_effects = ~unit + year, se_type = "HC1")
  add(nm, "hc1_unit_year_controls", coef(m), m$std.error, nrow(d), k_full, NA)
  # weighted CR1
  m <- lm_robust(y ~ D + x1 + x2, data = d, fixed_effects = ~unit + year, clusters = unit, se_type = "stata", weights = w)
  add(nm, "cr1_weighted", coef(m), m$std.error, nrow(d), k_full, G)
  # iid (classical) with FE dummies
  l <- lm(y ~ D + x1 + x2 + factor(unit) + factor(year), data = d)
  add(nm, "iid_unit_year_controls", coef(l), sqrt(diag(vcov(l))), nrow(d), length(coef(l)), NA)
  # two-way clustering (unit, year), each dimension with its own G/(G-1), times (n-1)/(n-k)
  V <- vcovCL(l, cluster = ~unit + year, type = "HC1", cadjust = TRUE, multi0 = FALSE)
  add(nm, "cr1_twoway_unit_year", coef(l), sqrt(diag(V)), nrow(d), length(coef(l)), min(G, length(unique(d$year))))
  # three FE dimensions: unit, year, a time-varying 4-level regime; cluster by province (unit nested in it)
  l3 <- lm(y ~ D + x1 + x2 + factor(unit) + factor(year) + factor(regime), data = d)
  V3 <- vcovCL(l3, cluster = ~province, type = "HC1")
  add(nm, "cr1_three_fe_province", coef(l3), sqrt(diag(V3)), nrow(d), sum(!is.na(coef(l3))), length(unique(d$province)))
}
out <- do.call(rbind, rows)
write.csv(out, "test/goldens/did-estimatr.csv", row.names = FALSE, quote = FALSE)
cat(nrow(out), "golden rows\n")

# Student t two-sided tails for the p-value code.
grid <- expand.grid(t = c(0, 0.001, 0.5, 1, 1.96, 2.5, 4, 8, 15, 40), df = c(1, 2, 3, 5, 9, 29, 59, 120, 1000, 100000))
grid$p <- fmt(2 * pt(-abs(grid$t), grid$df))
write.csv(grid, "test/goldens/did-pt.csv", row.names = FALSE, quote = FALSE)
