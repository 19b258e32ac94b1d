# Independent oracle for src/inequality: Dagum (1997) decomposition, Gini, Theil T/L, CV and the county gap,
# written straight from the formulas of src/inequality/README.md (county gap; Dagum 1997) with O(n²) double loops
# (no sorting tricks), base R only.
#
# Usage: Rscript scripts/golden/inequality-golden.R
# Reads  test/goldens/inequality-{hunan,edge}-input.csv
# Writes test/goldens/inequality-{hunan,edge}-golden.csv: long format  case,by,key,value  (value %.17g, NA = undefined)
#   keys: n, mean, G, Gw, Gnb, Gt, G_jj:<g>, G_jh:<j>|<h>, D_jh:<j>|<h>, gini, theil, theil_l, cv,
#         T_w, T_b, L_w, L_b, theil:<g>, theil_l:<g>, cv:<g>, gap_median:<row>, gap_mean:<row>, gap_p90:<row>
#   case: "unweighted" or "weighted" (population weights: unit i counts as w_i people)

wsum_abs <- function(x, wx, y, wy) {           # Σ_i Σ_r w_i w_r |x_i − y_r|, plain double loop
  s <- 0
  for (i in seq_along(x)) for (r in seq_along(y)) s <- s + wx[i] * wy[r] * abs(x[i] - y[r])
  s
}
wsum_pos <- function(x, wx, y, wy) {           # Σ_i Σ_r w_i w_r max(x_i − y_r, 0)
  s <- 0
  for (i in seq_along(x)) for (r in seq_along(y)) s <- s + wx[i] * wy[r] * max(x[i] - y[r], 0)
  s
}
wmean <- function(y, w) sum(w * y) / sum(w)
theil_t <- function(y, w) { m <- wmean(y, w); if (m == 0) return(NA); r <- y / m; sum(w * ifelse(r > 0, r * log(r), 0)) / sum(w) }
theil_l <- function(y, w) { m <- wmean(y, w); if (m == 0 || any(y == 0)) return(NA); sum(w * log(m / y)) / sum(w) }
cv <- function(y, w) { m <- wmean(y, w); if (m == 0) return(NA); sqrt(sum(w * (y - m)^2) / sum(w)) / m }

out <- list()
emit <- function(case, by, key, value) out[[length(out) + 1]] <<- data.frame(case = case, by = by, key = key, value = value)

one_period <- function(case, by, y, g, w) {
  W <- sum(w); mu <- wmean(y, w)
  emit(case, by, "n", length(y)); emit(case, by, "mean", mu)
  G <- wsum_abs(y, w, y, w) / (2 * W^2 * mu)
  emit(case, by, "gini", G); emit(case, by, "G", G)
  emit(case, by, "theil", theil_t(y, w)); emit(case, by, "theil_l", theil_l(y, w)); emit(case, by, "cv", cv(y, w))
  ids <- sort(unique(g))
  means <- sapply(ids, function(j) wmean(y[g == j], w[g == j]))
  ord <- ids[order(means)]                      # Dagum: groups ranked by mean
  Wj <- sapply(ids, function(j) sum(w[g == j])); names(Wj) <- ids
  pj <- Wj / W; sj <- Wj * means / (W * mu); names(means) <- ids
  Gw <- 0
  for (j in ids) {
    yj <- y[g == j]; wj <- w[g == j]
    Gjj <- if (means[j] == 0) NA else wsum_abs(yj, wj, yj, wj) / (2 * Wj[j]^2 * means[j])
    emit(case, by, paste0("G_jj:", j), Gjj)
    if (!is.na(Gjj)) Gw <- Gw + Gjj * pj[j] * sj[j]
    emit(case, by, paste0("theil:", j), theil_t(yj, wj)); emit(case, by, paste0("theil_l:", j), theil_l(yj, wj))
    emit(case, by, paste0("cv:", j), cv(yj, wj))
  }
  Gnb <- 0; Gt <- 0
  if (length(ord) > 1) for (a in 2:length(ord)) for (b in 1:(a - 1)) {
    j <- ord[a]; h <- ord[b]
    yj <- y[g == j]; wj <- w[g == j]; yh <- y[g == h]; wh <- w[g == h]
    Gjh <- wsum_abs(yj, wj, yh, wh) / (Wj[j] * Wj[h] * (means[j] + means[h]))
    d <- wsum_pos(yj, wj, yh, wh) / (Wj[j] * Wj[h]); p <- wsum_pos(yh, wh, yj, wj) / (Wj[j] * Wj[h])
    D <- if (d + p == 0) NA else (d - p) / (d + p)
    emit(case, by, paste0("G_jh:", j, "|", h), Gjh); emit(case, by, paste0("D_jh:", j, "|", h), D)
    c <- pj[j] * sj[h] + pj[h] * sj[j]
    if (!is.na(D)) { Gnb <- Gnb + Gjh * c * D; Gt <- Gt + Gjh * c * (1 - D) }
  }
  emit(case, by, "Gw", Gw); emit(case, by, "Gnb", Gnb); emit(case, by, "Gt", Gt)
  # Theil decompositions: T = Σ s_j T_j + Σ s_j ln(μ_j/μ); L = Σ p_j L_j + Σ p_j ln(μ/μ_j)
  Tw <- 0; Tb <- 0
  for (j in ids) if (means[j] > 0) { Tw <- Tw + sj[j] * theil_t(y[g == j], w[g == j]); Tb <- Tb + sj[j] * log(means[j] / mu) }
  emit(case, by, "T_w", Tw); emit(case, by, "T_b", Tb)
  if (all(y > 0)) {
    Lw <- 0; Lb <- 0
    for (j in ids) { Lw <- Lw + pj[j] * theil_l(y[g == j], w[g == j]); Lb <- Lb + pj[j] * log(mu / means[j]) }
    emit(case, by, "L_w", Lw); emit(case, by, "L_b", Lb)
  }
}

run <- function(input, output, idcol, gcol, ycol, wcol) {
  d <- read.csv(input, colClasses = "character")
  y_all <- as.numeric(d[[ycol]])
  for (case in c("unweighted", "weighted")) {
    for (by in sort(unique(d$year))) {
      keep <- d$year == by & !is.na(y_all) & d[[gcol]] != ""
      w <- if (case == "weighted") as.numeric(d[[wcol]][keep]) else rep(1, sum(keep))
      one_period(case, by, y_all[keep], d[[gcol]][keep], w)
    }
  }
  # gap: value / reference of its year over all rows with a value (group ignored); median = R median,
  # p90 = quantile type 7 (R default); row = 1-based data row of the input file
  for (by in sort(unique(d$year))) {
    rows <- which(d$year == by & !is.na(y_all))
    v <- y_all[rows]
    refs <- c(median = median(v), mean = mean(v), p90 = unname(quantile(v, 0.9, type = 7)))
    for (r in names(refs)) for (i in rows) emit("gap", by, paste0("gap_", r, ":", i), y_all[i] / refs[[r]])
  }
  res <- do.call(rbind, out)
  res$value <- ifelse(is.na(res$value), "NA", sprintf("%.17g", res$value))
  write.csv(res, output, row.names = FALSE, quote = FALSE)
  out <<- list()
}

run("test/goldens/inequality-hunan-input.csv", "test/goldens/inequality-hunan-golden.csv", "unit_id", "parent_id", "mean", "area_km2")
run("test/goldens/inequality-edge-input.csv", "test/goldens/inequality-edge-golden.csv", "id", "grp", "y", "w")
