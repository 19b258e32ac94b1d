# Reads every <dir>/*.dta written by scripts/golden/write-label-dta.ts with haven::read_dta and prints, as
# tab-separated text, each variable's name, R class, Stata variable label and attached value labels
# (none: "-"). test/output-labels.test.ts compares its own reading of the same files with this record.
#
# Run from the repo root:
#   npx tsx scripts/golden/write-label-dta.ts <dir> && Rscript scripts/golden/dta-labels.R <dir> > test/goldens/dta-labels-haven.tsv

suppressPackageStartupMessages(library(haven))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript scripts/golden/dta-labels.R <dir with the .dta files>")
files <- sort(Sys.glob(file.path(args[1], "*.dta")), method = "radix")  # C-locale order, the same on every machine
if (length(files) == 0) stop("no .dta files in ", args[1], "; run scripts/golden/write-label-dta.ts first")

cat(paste("file", "variable", "class", "label", "value_labels", sep = "\t"), "\n", sep = "")
for (path in files) {
  df <- read_dta(path, encoding = "UTF-8")
  for (name in names(df)) {
    col <- df[[name]]
    label <- attr(col, "label")
    if (is.null(label)) label <- ""
    vl <- attr(col, "labels")
    vl <- if (is.null(vl)) "-" else paste(names(vl), vl, sep = "=", collapse = ";")
    cls <- if (is.character(col)) "character" else if (is.integer(zap_labels(col))) "integer" else "double"
    cat(paste(basename(path), name, cls, label, vl, sep = "\t"), "\n", sep = "")
  }
}
