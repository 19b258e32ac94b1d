# Grunfeld fixture (plm::Grunfeld, 10 firms x 20 years) and its lm/sandwich golden.
# Run from the repo root: Rscript scripts/golden/did-grunfeld.R
suppressMessages({ library(plm); library(sandwich) })
data("Grunfeld", package = "plm")
g <- Grunfeld[, c("firm", "year", "inv", "value", "capital")]
write.csv(g, "test/fixtures/did/grunfeld.csv", row.names = FALSE)
# Full convention: dummies for firm and year, HC1-type cluster adjustment (K = 1 + 10 + 19 = 30).
m <- lm(inv ~ capital + factor(firm) + factor(year), data = g)
V <- vcovCL(m, cluster = ~firm, type = "HC1")
out <- data.frame(
  what = c("coef", "se_full", "n", "k_full", "G"),
  value = c(coef(m)[["capital"]], sqrt(V["capital", "capital"]), nrow(g), length(coef(m)), length(unique(g$firm)))
)
write.csv(out, "test/goldens/did-grunfeld.csv", row.names = FALSE)
print(format(out, digits = 17))
