/* The physical ceiling of one write(2) per record: the same kind of line
 * (date text cached per second, the record number appended by hand) handed
 * to write(2) one record at a time, on an O_APPEND file. */
#include <fcntl.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv) {
    char path[4096], line[256], date[64];
    long i, records;
    time_t cached = 0;
    int fd;
    double start;
    if (argc != 4) {
        return 2;
    }
    records = atol(argv[2]);
    snprintf(path, sizeof path, "%s/write.log", argv[3]);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        return 1;
    }
    start = bench_now();
    for (i = 0; i < records; i++) {
        struct timeval tv;
        struct tm tm;
        int n;
        gettimeofday(&tv, NULL);
        if (tv.tv_sec != cached) {
            cached = tv.tv_sec;
            localtime_r(&cached, &tm);
            strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
        }
        n = snprintf(line, sizeof line, "%s,%03d - bench - INFO - Hello logger: msg number %ld\n", date,
                     (int)(tv.tv_usec / 1000), i);
        if (write(fd, line, (size_t)n) != n) {
            return 1;
        }
    }
    close(fd);
    bench_report(bench_now() - start);
    return 0;
}
