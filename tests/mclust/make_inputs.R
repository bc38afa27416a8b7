# The inputs of the me() comparison (python/tests/test_mclust_me.py: the
# first five sets) and of bench/mclust_select.py (all), checked in under
# data/mclust: each data set's numeric columns (CSV, no header) and, for
# K = 2 and 3, starting responsibilities z from mclust's own
# initialization (the hierarchical clustering Mclust starts from),
# softened to 0.9 z + 0.1 / K so that no row is one-hot.
#   Rscript tests/mclust/make_inputs.R data/mclust
suppressPackageStartupMessages(library(mclust))
out <- commandArgs(trailingOnly = TRUE)[1]
data(banknote, diabetes, thyroid, wreath, EuroUnemployment, acidity,
     package = "mclust")
sets <- list(faithful = faithful, iris = iris[, 1:4],
             banknote = banknote[, -1], diabetes = diabetes[, -1],
             thyroid = thyroid[, -1], wreath = wreath,
             EuroUnemployment = EuroUnemployment)
for (name in names(sets)) {
  x <- as.matrix(sets[[name]])
  write.table(format(x, digits = 17), file.path(out, paste0(name, ".csv")),
              sep = ",", row.names = FALSE, col.names = FALSE, quote = FALSE)
  tree <- hc(x, modelName = "VVV")
  for (k in 2:3) {
    z <- 0.9 * unmap(hclass(tree, k)) + 0.1 / k
    write.table(format(z, digits = 17),
                file.path(out, sprintf("%s_z%d.csv", name, k)), sep = ",",
                row.names = FALSE, col.names = FALSE, quote = FALSE)
  }
}
# bench/mclust_select.py's further real data sets, the data alone (they
# are 1-D, where hc() has no VVV start to write z from): mclust's acidity,
# R's Nile (annual flow, 1871-1970) and precip (70 US cities' rainfall).
further <- list(acidity = acidity, Nile = as.numeric(Nile),
                precip = as.numeric(precip))
for (name in names(further)) {
  x <- as.matrix(further[[name]])
  write.table(format(x, digits = 17), file.path(out, paste0(name, ".csv")),
              sep = ",", row.names = FALSE, col.names = FALSE, quote = FALSE)
}
