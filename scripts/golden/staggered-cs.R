# Golden for Callaway & Sant'Anna: R did::att_gt(..., bstrap = FALSE, cband = FALSE) and
# did::aggte(type = simple|dynamic|group|calendar, bstrap = FALSE, cband = FALSE) on test/fixtures/staggered/cs.csv.
# Run from the repo root: Rscript scripts/golden/staggered-cs.R  → test/goldens/staggered-cs.json
#
# Uses the installed did package when there is one. Otherwise set DID_SOURCE_ROOT to a folder holding the
# source trees of did (bcallaway11+did), DRDID (pedrohcgs+DRDID) and BMisc (bcallaway11+BMisc): their R files are
# sourced unchanged except that pkg:: prefixes are removed and fastglm::fastglm (compiled) is replaced by glm()
# (the no-covariate propensity score and outcome regressions are intercept-only, so glm gives the same fit).
suppressMessages({ library(jsonlite); library(data.table); library(Matrix); library(tidyr); library(generics) })
if (requireNamespace("did", quietly = TRUE)) {
  suppressMessages(library(did))
  src <- paste0("did ", packageVersion("did"))
} else {
  root <- Sys.getenv("DID_SOURCE_ROOT")
  if (root == "") stop("did is not installed: install it or set DID_SOURCE_ROOT (see the header)")
  strip <- function(txt) gsub("(BMisc|DRDID|dreamerr|fastglm|did)::", "", txt)
  src_file <- function(f) eval(parse(text = strip(readLines(f, warn = FALSE))), envir = globalenv())
  check_set_arg <- function(...) invisible(NULL)
  fastglm <- function(x, y, family, weights = NULL, intercept = FALSE, method = 0, ...) {
    if (is.null(weights)) weights <- rep(1, length(y))
    suppressWarnings(glm(y ~ x - 1, family = family, weights = weights))
  }
  src_file(file.path(root, "bcallaway11+BMisc/R/BMisc.R"))
  for (f in list.files(file.path(root, "pedrohcgs+DRDID/R"), full.names = TRUE)) if (!grepl("RcppExports|package", f)) src_file(f)
  for (f in list.files(file.path(root, "bcallaway11+did/R"), pattern = "\\.R$", full.names = TRUE)) if (!grepl("ggdid|gplot|zzz|imports", f)) src_file(f)
  desc <- read.dcf(file.path(root, "bcallaway11+did/DESCRIPTION"))
  src <- paste0("did ", desc[, "Version"], " (sourced R files; glm for fastglm)")
}
na0 <- function(x) ifelse(is.na(x), NA, x)
run <- function(file, control, base, anticipation) {
  d <- read.csv(file.path("test/fixtures/staggered", file))
  d$uid <- as.integer(factor(d$id, levels = unique(d$id)))
  r <- suppressWarnings(att_gt("y", "year", "uid", "first_treat", data = d, control_group = control, base_period = base,
                               anticipation = anticipation, bstrap = FALSE, cband = FALSE, est_method = "dr"))
  agg <- lapply(c("simple", "dynamic", "group", "calendar"), function(ty) {
    a <- suppressWarnings(aggte(r, type = ty, bstrap = FALSE, cband = FALSE))
    list(type = ty, att = a$overall.att, se = a$overall.se,
         terms = if (is.null(a$egt)) list() else data.frame(at = a$egt, att = a$att.egt, se = na0(a$se.egt)))
  })
  list(file = file, control = control, base = base, anticipation = anticipation, n = r$n,
       attgt = data.frame(group = r$group, time = r$t, att = r$att, se = na0(r$se)), aggregates = agg)
}
cases <- list(
  run("cs.csv", "nevertreated", "varying", 0),
  run("cs.csv", "notyettreated", "varying", 0),
  run("cs.csv", "nevertreated", "universal", 0),
  run("cs.csv", "notyettreated", "universal", 1),
  run("cs.csv", "nevertreated", "varying", 1)
)
writeLines(toJSON(list(source = paste0(src, ", ", R.version.string), cases = cases), digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE),
           "test/goldens/staggered-cs.json")
