# Golden for the event-study pre-trend test: joint Wald test that every lead (relative periods before the
# reference -1, binned endpoint included) is 0, with the cluster-robust covariance of lm + sandwich::vcovCL
# (type HC1 = CR1 with every fixed-effect dummy counted in K: compare with `--ssc full`), F = W/q on
# (q, G - 1) degrees of freedom. Independent of the project's code (no estimatr, no fixest).
# Also writes two hand-built panels: one whose treated units trend up before treatment, one flat.
#   Rscript scripts/golden/eventstudy-pretrend.R
suppressMessages({ library(sandwich) })
fmt <- function(x) formatC(x, digits = 17, format = "g")

make_panel <- function(trend, seed) {
  set.seed(seed)
  units <- 1:60; years <- 2001:2010
  cohort <- c(rep(0, 20), rep(2005, 20), rep(2007, 20))
  d <- expand.grid(year = years, unit = units)[, c("unit", "year")]
  d$cohort <- cohort[d$unit]
  ue <- rnorm(60)[d$unit]; ye <- rnorm(10)[d$year - 2000]
  treated <- d$cohort > 0
  d$y <- ue + ye + 0.5 * (treated & d$year >= d$cohort) + trend * treated * (d$year - 2001) + rnorm(nrow(d), sd = 0.5)
  d$D <- as.integer(treated & d$year >= d$cohort)
  d
}

wald <- function(d, lo, hi, ref) {
  rel <- ifelse(d$cohort == 0, NA, pmin(hi, pmax(lo, d$year - d$cohort)))
  rs <- setdiff(lo:hi, ref)
  for (r in rs) d[[paste0("rel_", r)]] <- as.integer(!is.na(rel) & rel == r)
  f <- as.formula(paste("y ~", paste(paste0("`rel_", rs, "`"), collapse = " + "), "+ factor(unit) + factor(year)"))
  m <- lm(f, data = d)
  V <- vcovCL(m, cluster = ~unit, type = "HC1")
  leads <- paste0("`rel_", rs[rs < ref], "`")
  b <- coef(m)[leads]; Vl <- V[leads, leads]
  q <- length(leads); G <- length(unique(d$unit))
  Fst <- as.numeric(t(b) %*% solve(Vl) %*% b) / q
  data.frame(F = fmt(Fst), df1 = q, df2 = G - 1, p = fmt(pf(Fst, q, G - 1, lower.tail = FALSE)))
}

trending <- make_panel(0.4, 11)
flat <- make_panel(0, 12)
write.csv(trending, "test/fixtures/did/pretrend-trending.csv", row.names = FALSE)
write.csv(flat, "test/fixtures/did/pretrend-flat.csv", row.names = FALSE)
out <- rbind(
  cbind(case = "staggered_-4_4", wald(read.csv("test/fixtures/did/staggered.csv"), -4, 4, -1)),
  cbind(case = "trending_-3_3", wald(trending, -3, 3, -1)),
  cbind(case = "flat_-3_3", wald(flat, -3, 3, -1))
)
write.csv(out, "test/goldens/did-pretrend.csv", row.names = FALSE, quote = FALSE)
print(out)
