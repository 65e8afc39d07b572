/* Cross-handler flush cycles: handler A's emit callback flushes B while
 * another thread's B callback flushes A (and the three-handler ring
 * A→B→C→A). Each round puts every thread inside its callback at once (a
 * barrier), so without detection the process hangs; alarm() turns a hang
 * into a failure. With detection exactly one call per round returns
 * SAWMILL_ERR_WOULD_DEADLOCK and the others complete. */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "sawmill.h"
#include "check.h"

#define MAX_RING 3
#define ROUNDS 200

static int ring_size;
static sawmill_handler *handlers[MAX_RING];
static sawmill_logger *loggers[MAX_RING];
static pthread_barrier_t inside, after;
static int would_deadlock[MAX_RING];
static int other_failures;

static int emit(void *user_data, const sawmill_record *r, const char *text, size_t len) {
    (void)r;
    (void)text;
    (void)len;
    int me = (int)(intptr_t)user_data;
    /* Counters never need the handler lock, even the handler's own. */
    if (sawmill_handler_dropped_count(handlers[me]) != 0) {
        __atomic_add_fetch(&other_failures, 1, __ATOMIC_RELAXED);
    }
    /* Every thread is inside its own handler's callback now. */
    pthread_barrier_wait(&inside);
    sawmill_status s = sawmill_handler_flush(handlers[(me + 1) % ring_size]);
    if (s == SAWMILL_ERR_WOULD_DEADLOCK) {
        __atomic_add_fetch(&would_deadlock[me], 1, __ATOMIC_RELAXED);
    } else if (s != SAWMILL_OK) {
        __atomic_add_fetch(&other_failures, 1, __ATOMIC_RELAXED);
    }
    return 0;
}

static void *logs(void *arg) {
    int me = (int)(intptr_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        SAWMILL_ERROR(loggers[me], "round %d", i);
        /* Outside every callback: nobody takes its handler lock for the
         * next round while another thread still waits for that lock. */
        pthread_barrier_wait(&after);
    }
    return NULL;
}

static void run_ring(int size) {
    char name[32];
    ring_size = size;
    pthread_barrier_init(&inside, NULL, (unsigned)size);
    pthread_barrier_init(&after, NULL, (unsigned)size);
    for (int i = 0; i < size; i++) {
        would_deadlock[i] = 0;
        handlers[i] = sawmill_callback_handler_new(emit, NULL, (void *)(intptr_t)i, NULL);
        snprintf(name, sizeof name, "ring%d.%d", size, i);
        loggers[i] = sawmill_get_logger(name);
        sawmill_logger_set_propagate(loggers[i], false);
        sawmill_logger_add_handler(loggers[i], handlers[i]);
    }
    pthread_t threads[MAX_RING];
    for (int i = 0; i < size; i++) {
        pthread_create(&threads[i], NULL, logs, (void *)(intptr_t)i);
    }
    for (int i = 0; i < size; i++) {
        pthread_join(threads[i], NULL);
    }
    int detected = 0;
    for (int i = 0; i < size; i++) {
        detected += would_deadlock[i];
        sawmill_logger_remove_handler(loggers[i], handlers[i]);
        sawmill_handler_release(handlers[i]);
    }
    /* One refusal breaks each round's cycle; the rest completed. */
    CHECK(detected == ROUNDS);
    CHECK(other_failures == 0);
    pthread_barrier_destroy(&inside);
    pthread_barrier_destroy(&after);
}

static void hung(int sig) {
    (void)sig;
    static const char msg[] = "abba: deadlock (no progress in 20 s)\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

/* A cycle through a nested callback: T1, inside C's emit, flushes B, so
 * it holds C and B and runs B's flush callback, which flushes A; T2,
 * inside A's emit, then flushes B. T1 waits for A (held by T2), T2 for B
 * (held by T1): the cycle must be seen although T1's wait for A is made
 * from a callback nested inside another (its earlier wait, for B, has
 * ended: it holds B now). */
static sawmill_handler *nest_a, *nest_b, *nest_c;
static pthread_barrier_t t2_inside_a;
static volatile int t1_waits_for_a;
static sawmill_status t1_status = SAWMILL_OK, t2_status = SAWMILL_OK;

static int nested_emit_a(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u, (void)r, (void)text, (void)len;
    pthread_barrier_wait(&t2_inside_a);
    while (!__atomic_load_n(&t1_waits_for_a, __ATOMIC_ACQUIRE)) {
        usleep(1000);
    }
    usleep(100000); /* let T1 block in its flush of A */
    t2_status = sawmill_handler_flush(nest_b);
    return 0;
}

static int nested_flush_b(void *u) {
    (void)u;
    static int calls;
    if (calls++ == 0) {
        pthread_barrier_wait(&t2_inside_a);
        __atomic_store_n(&t1_waits_for_a, 1, __ATOMIC_RELEASE);
        t1_status = sawmill_handler_flush(nest_a);
    }
    return 0;
}

static int nested_emit_c(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u, (void)r, (void)text, (void)len;
    return sawmill_handler_flush(nest_b) == SAWMILL_OK ? 0 : -1;
}

static int nested_emit_b(void *u, const sawmill_record *r, const char *text, size_t len) {
    (void)u, (void)r, (void)text, (void)len;
    return 0;
}

static void *nested_t2(void *arg) {
    (void)arg;
    SAWMILL_ERROR(sawmill_get_logger("nested.a"), "to A");
    return NULL;
}

static void run_nested(void) {
    pthread_barrier_init(&t2_inside_a, NULL, 2);
    nest_a = sawmill_callback_handler_new(nested_emit_a, NULL, NULL, NULL);
    nest_b = sawmill_callback_handler_new(nested_emit_b, nested_flush_b, NULL, NULL);
    nest_c = sawmill_callback_handler_new(nested_emit_c, NULL, NULL, NULL);
    sawmill_logger_add_handler(sawmill_get_logger("nested.a"), nest_a);
    sawmill_logger_add_handler(sawmill_get_logger("nested.c"), nest_c);
    pthread_t t2;
    pthread_create(&t2, NULL, nested_t2, NULL);
    SAWMILL_ERROR(sawmill_get_logger("nested.c"), "to C");
    pthread_join(t2, NULL);
    /* T1 waited first, so T2's flush closes the cycle and is refused. */
    CHECK(t1_status == SAWMILL_OK);
    CHECK(t2_status == SAWMILL_ERR_WOULD_DEADLOCK);
    pthread_barrier_destroy(&t2_inside_a);
}

int main(void) {
    signal(SIGALRM, hung);
    alarm(20);
    run_ring(2);
    run_ring(3);
    run_nested();
    CHECK_DONE();
}
