/*
 * args.c — the table-driven command line parser (see args.h).
 *
 * Numbers are parsed strictly: the whole argument must be the number, with
 * no leading blanks, no trailing text and no sign where a count is asked
 * for, because strtoul would silently turn "-1" into 2^64-1 and atoi "12abc"
 * into 12, and a fit run with such a value is a silently wrong answer.
 */
#include "args.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_exit_status_help[] =
    "Exit status:\n"
    "  0    success\n"
    "  1    other failure (e.g. a feature this build lacks)\n"
    "  2    usage error: unknown option, missing or malformed argument\n"
    "  3    bad input: a data, weights or model file is unreadable or\n"
    "       malformed, or an output could not be written\n"
    "  4    numerical failure (e.g. a covariance is not positive definite;\n"
    "       try fewer components or a larger --reg-covar)\n"
    "  5    out of memory\n"
    "  130  interrupted by SIGINT (143 by SIGTERM); no output file is left\n";

const gmm_covariance_type cli_mclust_order[GMM_N_COVARIANCE_TYPES] = {
    GMM_COVARIANCE_EII, GMM_COVARIANCE_SPHERICAL, GMM_COVARIANCE_EEI,
    GMM_COVARIANCE_VEI, GMM_COVARIANCE_EVI, GMM_COVARIANCE_DIAG,
    GMM_COVARIANCE_TIED, GMM_COVARIANCE_VEE, GMM_COVARIANCE_EVE,
    GMM_COVARIANCE_VVE, GMM_COVARIANCE_EEV, GMM_COVARIANCE_VEV,
    GMM_COVARIANCE_EVV, GMM_COVARIANCE_FULL};

const char *cli_covariance_type_names(void)
{
    static char text[256];
    if (text[0])
        return text;
    size_t length = 0;
    for (int t = 0; t < GMM_N_COVARIANCE_TYPES; t++) {
        gmm_covariance_type type = (gmm_covariance_type)t;
        if (strcmp(gmm_covariance_type_name(type),
                   gmm_covariance_type_mclust_name(type)) != 0)
            length += (size_t)snprintf(text + length, sizeof text - length,
                                       "%s, ", gmm_covariance_type_name(type));
    }
    length -= 2;
    length += (size_t)snprintf(text + length, sizeof text - length,
                               " or one of mclust's");
    for (int i = 0; i < GMM_N_COVARIANCE_TYPES; i++)
        length += (size_t)snprintf(
            text + length, sizeof text - length, "%s %s", i ? "," : "",
            gmm_covariance_type_mclust_name(cli_mclust_order[i]));
    return text;
}

int cli_usage_error(const char *command_name, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    cli_vprint(command_name, "", format, args);
    va_end(args);
    fprintf(stderr, "Try 'gmm %s --help'.\n", command_name);
    return CLI_EXIT_USAGE;
}

/* A decimal integer made only of digits (no sign, no blanks). */
static int parse_unsigned(const char *text, uintmax_t *out)
{
    if (text[0] < '0' || text[0] > '9')
        return -1;
    char *end;
    errno = 0;
    uintmax_t value = strtoumax(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = value;
    return 0;
}

/* What parse_real found wrong. */
enum { REAL_BAD = -1, REAL_RANGE = -2 };

/* A finite decimal number; strtod's leading blanks are refused, and so is
 * a number strtod finds out of range (1e-400 is not 0, 1e400 not inf). */
static int parse_real(const char *text, double *out)
{
    if (text[0] == '\0' || strchr(" \t\n\v\f\r", text[0]) != NULL)
        return REAL_BAD;
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (*end != '\0' || end == text)
        return REAL_BAD;
    if (errno == ERANGE)
        return REAL_RANGE;
    if (errno != 0 || !isfinite(value))
        return REAL_BAD;
    *out = value;
    return 0;
}

/* A byte count: digits, then nothing (bytes) or one of K, M, G, T in
 * either case (powers of 1024, as sort -S and ulimit count). A decimal
 * suffix (MB) is refused rather than guessed. */
static int parse_bytes(const char *text, size_t *out)
{
    static const char suffixes[] = "KMGT";
    size_t digits = strspn(text, "0123456789");
    if (digits == 0 || digits > 20)
        return -1;
    char number[21];
    memcpy(number, text, digits);
    number[digits] = '\0';
    uintmax_t value;
    if (parse_unsigned(number, &value) != 0)
        return -1;
    const char *suffix = text + digits;
    if (suffix[0] != '\0') {
        const char *found = strchr(suffixes, toupper((unsigned char)suffix[0]));
        if (found == NULL || suffix[1] != '\0')
            return -1;
        for (const char *s = suffixes; s <= found; s++) {
            if (value > SIZE_MAX / 1024)
                return -1;
            value *= 1024;
        }
    }
    if (value > SIZE_MAX)
        return -1;
    *out = (size_t)value;
    return 0;
}

/* The largest value an integer option's variable can hold. */
static uintmax_t integer_max(cli_arg_kind kind)
{
    switch (kind) {
    case CLI_ARG_INT:
        return INT_MAX;
    case CLI_ARG_THREADS:
        return GMM_MAX_THREADS;
    case CLI_ARG_SIZE:
        return SIZE_MAX;
    default:
        return UINT64_MAX;
    }
}

/* Parse `text` into option->value; `flag` is the option as typed. */
static int store_value(const char *command_name, const cli_option *option,
                       const char *flag, const char *text)
{
    uintmax_t whole;
    double real;

    switch (option->kind) {
    case CLI_ARG_FLAG:
        *(int *)option->value = 1;
        return CLI_PARSE_OK;
    case CLI_ARG_STRING:
        *(const char **)option->value = text;
        return CLI_PARSE_OK;
    case CLI_ARG_SIZE:
    case CLI_ARG_INT:
    case CLI_ARG_THREADS:
    case CLI_ARG_SEED: {
        uintmax_t max = integer_max(option->kind);
        if (parse_unsigned(text, &whole) != 0 || (double)whole < option->min ||
            whole > max) {
            /* A count's upper bound (2^64-1) says nothing to a person. */
            if (option->kind == CLI_ARG_SIZE)
                return cli_usage_error(command_name,
                                       "%s: expected an integer >= %.0f, "
                                       "got '%s'",
                                       flag, option->min, text);
            return cli_usage_error(command_name,
                                   "%s: expected an integer from %.0f to %ju, "
                                   "got '%s'",
                                   flag, option->min, max, text);
        }
        if (option->kind == CLI_ARG_INT || option->kind == CLI_ARG_THREADS)
            *(int *)option->value = (int)whole;
        else if (option->kind == CLI_ARG_SIZE)
            *(size_t *)option->value = (size_t)whole;
        else
            *(uint64_t *)option->value = (uint64_t)whole;
        return CLI_PARSE_OK;
    }
    case CLI_ARG_BYTES: {
        size_t bytes;
        if (parse_bytes(text, &bytes) != 0 || (double)bytes < option->min)
            return cli_usage_error(command_name,
                                   "%s: expected a size in bytes such as 512M "
                                   "or 2G (suffixes K, M, G, T: powers of "
                                   "1024), at least %.0f, got '%s'",
                                   flag, option->min, text);
        *(size_t *)option->value = bytes;
        return CLI_PARSE_OK;
    }
    case CLI_ARG_REAL: {
        int parsed = parse_real(text, &real);
        if (parsed == REAL_RANGE)
            return cli_usage_error(command_name,
                                   "%s: '%s' is out of the range of a double "
                                   "(magnitudes from %g to %g, or 0)",
                                   flag, text, DBL_MIN, DBL_MAX);
        if (parsed != 0 || real < option->min)
            return cli_usage_error(command_name,
                                   "%s: expected a number >= %g, got '%s'",
                                   flag, option->min, text);
        *(double *)option->value = real;
        return CLI_PARSE_OK;
    }
    }
    assert(!"every option kind is handled above");
    return CLI_EXIT_FAILURE;
}

/* The option `arg` names, with `inline_value` pointing after "=" in
 * "--name=value" (else NULL); NULL if none matches. */
static const cli_option *find_option(const cli_command *command,
                                     const char *arg,
                                     const char **inline_value)
{
    const char *equals = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t name_length = equals != NULL ? (size_t)(equals - arg) : strlen(arg);
    *inline_value = equals != NULL ? equals + 1 : NULL;

    for (size_t i = 0; i < command->n_options; i++) {
        const cli_option *option = &command->options[i];
        if (strlen(option->name) == name_length &&
            strncmp(option->name, arg, name_length) == 0)
            return option;
        if (equals == NULL && option->short_name != NULL &&
            strcmp(option->short_name, arg) == 0)
            return option;
    }
    return NULL;
}

static int print_help(const cli_command *command)
{
    printf("%s\n%s", command->help, cli_exit_status_help);
    return CLI_EXIT_OK;
}

/* Refuse an absent required option, naming it. */
static int check_required(const cli_command *command, const unsigned char *seen)
{
    for (size_t i = 0; i < command->n_options; i++) {
        const cli_option *option = &command->options[i];
        if (option->required && !seen[i])
            return cli_usage_error(command->name, "missing required option %s",
                                   option->short_name != NULL
                                       ? option->short_name
                                       : option->name);
    }
    return CLI_PARSE_OK;
}

int cli_parse(const cli_command *command, int argc, char **argv,
              const char **positional)
{
    /* Options are few (at most a dozen), so a byte per option is enough. */
    unsigned char seen[32] = {0};
    size_t n_positional = 0;
    int options_ended = 0;

    assert(command->n_options <= sizeof seen);

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int is_option = !options_ended && arg[0] == '-' && arg[1] != '\0';

        if (is_option && strcmp(arg, "--") == 0) {
            options_ended = 1;
            continue;
        }
        if (is_option && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0))
            return print_help(command);
        if (!is_option) {
            if (n_positional == command->n_positional)
                return cli_usage_error(command->name,
                                       "unexpected argument '%s'", arg);
            positional[n_positional++] = arg;
            continue;
        }

        const char *inline_value;
        const cli_option *option = find_option(command, arg, &inline_value);
        if (option == NULL)
            return cli_usage_error(command->name, "unknown option '%s'", arg);
        size_t index = (size_t)(option - command->options);
        /* The name as typed, without any "=value", for messages. */
        size_t typed_length = inline_value != NULL
                                  ? (size_t)(inline_value - 1 - arg)
                                  : strlen(arg);
        char typed[64];
        snprintf(typed, sizeof typed, "%.*s", (int)typed_length, arg);
        if (seen[index])
            return cli_usage_error(command->name, "option %s given twice",
                                   typed);
        seen[index] = 1;

        const char *value = inline_value;
        if (option->kind == CLI_ARG_FLAG) {
            if (value != NULL)
                return cli_usage_error(command->name,
                                       "option %s takes no value", typed);
        } else if (value == NULL) {
            if (i + 1 == argc)
                return cli_usage_error(command->name,
                                       "option %s needs a value", typed);
            value = argv[++i];
        }
        int status = store_value(command->name, option, typed, value);
        if (status != CLI_PARSE_OK)
            return status;
    }

    if (n_positional < command->n_positional)
        return cli_usage_error(command->name, "missing %s argument",
                               command->positional_names[n_positional]);
    return check_required(command, seen);
}
