/* log4c's side: a category with a stream appender on a file and the
 * "dated" layout (its nearest equivalent format). */
#include <log4c.h>
#include <string.h>

#include "bench_common.h"

int main(int argc, char **argv) {
    char path[4096];
    long i, records;
    FILE *fp;
    log4c_category_t *cat;
    log4c_appender_t *app;
    double start;
    if (argc != 4) {
        return 2;
    }
    records = atol(argv[2]);
    snprintf(path, sizeof path, "%s/log4c.log", argv[3]);
    log4c_init();
    fp = fopen(path, "w");
    if (fp == NULL) {
        return 1;
    }
    /* Unbuffered stdio: one write per record, log4c's usual file behaviour. */
    setvbuf(fp, NULL, _IONBF, 0);
    app = log4c_appender_get("benchfile");
    log4c_appender_set_type(app, log4c_appender_type_get("stream"));
    log4c_appender_set_udata(app, fp);
    log4c_appender_set_layout(app, log4c_layout_get("dated"));
    cat = log4c_category_get("bench");
    log4c_category_set_appender(cat, app);
    log4c_category_set_priority(cat, LOG4C_PRIORITY_INFO);
    log4c_category_set_additivity(cat, 0);
    start = bench_now();
    for (i = 0; i < records; i++) {
        log4c_category_info(cat, BENCH_MESSAGE, (int)i);
    }
    fflush(fp);
    fclose(fp);
    bench_report(bench_now() - start);
    return 0;
}
