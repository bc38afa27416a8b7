# mclust's BIC table on a CSV file (header line), for the families that
# coincide with ours: VVV = full, EEE = tied, VVI = diag, VII = spherical.
# Prints CSV: K,VVV,EEE,VVI,VII (mclust's sign: higher is better).
#   Rscript mclust_bic.R DATA.csv [MAX_K]
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(mclust))
x <- read.csv(args[1])
max_k <- if (length(args) > 1) as.integer(args[2]) else 9
bic <- mclustBIC(x, G = 1:max_k, modelNames = c("VVV", "EEE", "VVI", "VII"),
                 verbose = FALSE)
table <- data.frame(K = 1:max_k, unclass(bic)[, c("VVV", "EEE", "VVI", "VII")])
write.csv(format(table, digits = 10), stdout(), row.names = FALSE, quote = FALSE)
