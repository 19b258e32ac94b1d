# Goldens for eventstudy, the propensity logit, kernel PSM-DID and spillover, on test/fixtures/did/staggered.csv
# (made by did-estimatr.R). Every estimatr call counts all FE in K: compare with `--ssc full`.
#   Rscript scripts/golden/did-extra.R
suppressMessages(library(estimatr))
fmt <- function(x) formatC(x, digits = 17, format = "g")
d <- read.csv("test/fixtures/did/staggered.csv")
rows <- list()
add <- function(model, term, coef, se) rows[[length(rows) + 1]] <<- data.frame(model = model, term = term, coef = fmt(coef), se = fmt(se))

# Event study: window -4..4 binned, reference -1, never treated (cohort 0) all zero.
rel <- ifelse(d$cohort == 0, NA, pmin(4, pmax(-4, d$year - d$cohort)))
for (r in setdiff(-4:4, -1)) d[[paste0("rel_", r)]] <- as.integer(!is.na(rel) & rel == r)
f <- as.formula(paste("y ~", paste(paste0("`rel_", setdiff(-4:4, -1), "`"), collapse = " + ")))
m <- lm_robust(f, data = d, fixed_effects = ~unit + year, clusters = unit, se_type = "stata")
cf <- coef(m); names(cf) <- gsub("`", "", names(cf)); se <- m$std.error; names(se) <- names(cf)
for (r in setdiff(-4:4, -1)) { nm <- paste0("rel_", r); add("eventstudy", nm, cf[[nm]], se[[nm]]) }

# Propensity logit (pooled observations): ever-treated unit ~ x1 + x2, converged tightly.
d$ever <- as.integer(ave(d$D, d$unit, FUN = max) > 0)
g <- glm(ever ~ x1 + x2, family = binomial, data = d, control = glm.control(epsilon = 1e-15, maxit = 100))
for (t in names(coef(g))) add("logit", t, coef(g)[[t]], sqrt(diag(vcov(g)))[[t]])

# Kernel matching (Epanechnikov, h = 0.06) written out, then weighted TWFE on weight > 0.
p <- fitted(g); w <- numeric(nrow(d)); h <- 0.06
ctrl <- which(d$ever == 0)
for (i in which(d$ever == 1)) {
  u <- (p[ctrl] - p[i]) / h; k <- ifelse(abs(u) < 1, 0.75 * (1 - u^2), 0)
  if (sum(k) > 0) { w[ctrl] <- w[ctrl] + k / sum(k); w[i] <- 1 }
}
dm <- d[w > 0, ]; dm$w <- w[w > 0]
m <- lm_robust(y ~ D, data = dm, fixed_effects = ~unit + year, clusters = unit, se_type = "stata", weights = w)
add("psm_kernel", "D", coef(m)[["D"]], m$std.error[["D"]])

# Spillover: units on a ring, neighbours i-1 and i+1; exposure = a neighbour treated by t.
U <- max(d$unit)
post <- tapply(seq_len(nrow(d)), list(d$unit, d$year), function(ix) d$D[ix])
d$exposure <- mapply(function(u, t) {
  nb <- c(ifelse(u == 1, U, u - 1), ifelse(u == U, 1, u + 1))
  as.integer(any(post[as.character(nb), as.character(t)] > 0))
}, d$unit, d$year)
d$y <- d$y + 0.3 * d$exposure * (d$ever == 0)
keep <- d[, c("unit", "year", "cohort", "D", "x1", "x2", "y", "exposure")]
write.csv(keep, "test/fixtures/did/spillover.csv", row.names = FALSE)
m <- lm_robust(y ~ exposure, data = d[d$ever == 0, ], fixed_effects = ~unit + year, clusters = unit, se_type = "stata")
add("spillover", "exposure", coef(m)[["exposure"]], m$std.error[["exposure"]])
everexp <- ave(d$exposure, d$unit, FUN = max) > 0
m <- lm_robust(y ~ D, data = d[d$ever == 1 | !everexp, ], fixed_effects = ~unit + year, clusters = unit, se_type = "stata")
add("without_neighbours", "D", coef(m)[["D"]], m$std.error[["D"]])

out <- do.call(rbind, rows)
write.csv(out, "test/goldens/did-extra.csv", row.names = FALSE, quote = FALSE)
print(out)
