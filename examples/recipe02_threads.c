/* Cookbook recipe 2: logging from the main thread and a worker thread with
 * %(relativeCreated)6d %(threadName)s. The cookbook's 0.5 s / 0.75 s sleeps
 * are scaled down to 50 ms / 75 ms; main logs ten times, then stops the
 * worker. Writes its files into the given directory. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "sawmill.h"
#include "recipes.h"

static atomic_int stop_worker;

static void sleep_ms(long ms) {
    struct timespec t;
    t.tv_sec = ms / 1000;
    t.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&t, NULL);
}

static void *worker(void *arg) {
    sawmill_logger *root = sawmill_get_logger(NULL);
    (void)arg;
    while (!atomic_load(&stop_worker)) {
        SAWMILL_DEBUG(root, "Hi from myfunc");
        sleep_ms(50);
    }
    return NULL;
}

int recipe02_run(const char *outdir) {
    sawmill_basic_config config = {0};
    sawmill_logger *root = sawmill_get_logger(NULL);
    pthread_t thread;
    int i;
    (void)outdir;

    config.level = SAWMILL_LEVEL_DEBUG;
    config.format = "%(relativeCreated)6d %(threadName)s %(message)s";
    if (sawmill_basic_config_apply(&config) != SAWMILL_OK) {
        return 1;
    }
    pthread_create(&thread, NULL, worker, NULL);
    for (i = 0; i < 10; i++) {
        SAWMILL_DEBUG(root, "Hello from main");
        sleep_ms(75);
    }
    atomic_store(&stop_worker, 1);
    pthread_join(thread, NULL);
    return 0;
}

#ifdef SAWMILL_RECIPE_MAIN
int main(int argc, char **argv) {
    return recipe02_run(argc > 1 ? argv[1] : ".");
}
#endif
