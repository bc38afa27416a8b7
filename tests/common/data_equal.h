/*
 * data_equal.h — whether two reads gave the same table: the property the
 * io tests (tests/io/test_csv.c) and the fuzzers (fuzz/file_reads.h) check
 * between a file read in pieces and the same bytes parsed in memory.
 */
#ifndef GMM_TESTS_DATA_EQUAL_H
#define GMM_TESTS_DATA_EQUAL_H

#include <string.h>

#include "io/data_read.h"

/* Same shape, the same values bit for bit, the same column names. */
static inline int gmm_data_equal(const gmm_data *a, const gmm_data *b)
{
    if (a->n_rows != b->n_rows || a->n_cols != b->n_cols
        || (a->values == NULL) != (b->values == NULL)
        || (a->column_names == NULL) != (b->column_names == NULL))
        return 0;
    if (a->values && memcmp(a->values, b->values, a->n_rows * a->n_cols * sizeof(double)) != 0)
        return 0;
    for (size_t j = 0; a->column_names && j < a->n_cols; j++)
        if (strcmp(a->column_names[j], b->column_names[j]) != 0)
            return 0;
    return 1;
}

#endif
