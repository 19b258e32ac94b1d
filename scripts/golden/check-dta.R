# Reads every test/goldens/output-<name>.dta (written by scripts/golden/write-output-dta.ts)
# with two independent Stata readers, haven::read_dta and readstata13::read.dta13, and writes
# what each decoded to test/goldens/output-dta-<name>.json. test/output-dta.test.ts compares
# those decoded values with the Table the .dta was written from.
#
# Run from the repo root:
#   npx tsx scripts/golden/write-output-dta.ts && Rscript scripts/golden/check-dta.R
# Doubles are recorded as sprintf("%.17g") text so every bit (including -0) survives JSON.

suppressPackageStartupMessages({
  library(haven)
  library(readstata13)
  library(jsonlite)
})

encode_values <- function(x) {
  if (is.character(x)) return(as.list(enc2utf8(x)))
  if (is.integer(x)) return(lapply(x, function(v) if (is.na(v)) NULL else v))
  if (is.double(x)) return(lapply(x, function(v) if (is.na(v)) NULL else sprintf("%.17g", v)))
  stop(sprintf("unexpected R column type %s", typeof(x)))
}

describe_haven <- function(path) {
  df <- read_dta(path, encoding = "UTF-8")
  list(
    reader = paste0("haven ", packageVersion("haven")),
    nrow = nrow(df),
    datalabel = attr(df, "label") %||% "",
    columns = lapply(names(df), function(name) {
      col <- df[[name]]
      list(
        name = name,
        rtype = typeof(col),
        format = attr(col, "format.stata") %||% "",
        label = attr(col, "label") %||% "",
        values = encode_values(as.vector(zap_labels(col)))
      )
    })
  )
}

describe_readstata13 <- function(path) {
  df <- read.dta13(path, convert.factors = FALSE, encoding = "UTF-8", strlexport = FALSE, replace.strl = TRUE)
  labels <- varlabel(df)
  types <- attr(df, "types")
  formats <- attr(df, "formats")
  list(
    reader = paste0("readstata13 ", packageVersion("readstata13")),
    nrow = nrow(df),
    datalabel = attr(df, "datalabel") %||% "",
    timestamp = attr(df, "time.stamp") %||% "",
    version = attr(df, "version"),
    columns = lapply(seq_along(names(df)), function(i) {
      name <- names(df)[i]
      list(
        name = name,
        rtype = typeof(df[[i]]),
        stata_type = types[i],
        format = formats[i],
        label = unname(labels[name]) %||% "",
        values = encode_values(df[[i]])
      )
    })
  )
}

`%||%` <- function(a, b) if (is.null(a) || length(a) == 0 || (length(a) == 1 && is.na(a))) b else a

files <- sort(Sys.glob("test/goldens/output-*.dta"))
if (length(files) == 0) stop("no test/goldens/output-*.dta files; run scripts/golden/write-output-dta.ts first")
for (path in files) {
  name <- sub("^output-(.*)\\.dta$", "\\1", basename(path))
  out <- list(
    file = basename(path),
    haven = describe_haven(path),
    readstata13 = describe_readstata13(path)
  )
  target <- file.path("test/goldens", paste0("output-dta-", name, ".json"))
  writeLines(toJSON(out, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE, digits = NA), target, useBytes = TRUE)
  cat("read", path, "->", target, "\n")
}
