# mclust's me() on every input of make_inputs.R, every model, as CSV rows
#   set,K,model,field,v1,v2,...
# field: weights (K), means (K x D, component-major), covariances (K x D x
# D, component-major), loglik, bic (mclust's sign). EM runs ITMAX
# iterations (tol 0); the inner M-step loops of VEI, VEE, VEV, EVE, VVE
# run to 1e-13 (mclust's default stops them at sqrt(eps)).
#   Rscript tests/mclust/me_reference.R data/mclust ITMAX > reference.csv
suppressPackageStartupMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
itmax <- as.integer(args[2])
models <- mclust.options("emModelNames")
row <- function(...) cat(paste(c(...), collapse = ","), "\n", sep = "")
num <- function(v) sprintf("%.17g", v)
for (set in c("faithful", "iris", "banknote", "diabetes", "thyroid")) {
  x <- as.matrix(read.csv(file.path(dir, paste0(set, ".csv")), header = FALSE))
  for (k in 2:3) {
    z <- as.matrix(read.csv(file.path(dir, sprintf("%s_z%d.csv", set, k)),
                            header = FALSE))
    for (model in models) {
      fit <- me(x, model, z, control = emControl(tol = c(0, 1e-13),
                                                  itmax = c(itmax, 1e6)),
                warn = FALSE)
      if (is.na(fit$loglik)) next
      p <- fit$parameters
      row(set, k, model, "weights", num(p$pro))
      row(set, k, model, "means", num(p$mean))
      row(set, k, model, "covariances", num(p$variance$sigma))
      row(set, k, model, "loglik", num(fit$loglik))
      row(set, k, model, "bic", num(bic(model, fit$loglik, fit$n, fit$d, k)))
    }
  }
}
