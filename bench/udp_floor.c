/* The floor for syslog over UDP: no logging library, only a plain loop
 * that sends the datagrams sawmill's legacy SysLogHandler sends
 * ("<14>Hello logger: msg number N" and a NUL, one record per datagram as
 * RFC 5426 wants) to the same loopback socket.
 *   udp_floor send|sendmmsg RECORDS PORT
 * send: one system call per datagram; sendmmsg: up to 1024 datagrams per
 * call (sawmill's batched mode uses the same). Prints seconds=… for the
 * loop, and the process's user and system CPU microseconds per datagram. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_common.h"

#define BATCH 1024
#define SIZE 64

static double micros(struct timeval t) {
    return (double)t.tv_sec * 1e6 + (double)t.tv_usec;
}

int main(int argc, char **argv) {
    static char text[BATCH][SIZE];
    static struct iovec iov[BATCH];
    static struct mmsghdr msgs[BATCH];
    struct sockaddr_in to;
    struct rusage ru;
    long records, i, sent = 0;
    int fd, mmsg;
    double start, seconds;
    if (argc != 4) {
        fprintf(stderr, "usage: %s send|sendmmsg RECORDS PORT\n", argv[0]);
        return 2;
    }
    mmsg = strcmp(argv[1], "sendmmsg") == 0;
    records = atol(argv[2]);
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t)atoi(argv[3]));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    /* Connected, as sawmill's UDP transport: no address lookup per send. */
    if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
        perror("udp_floor");
        return 1;
    }
    start = bench_now();
    while (sent < records) {
        long n = mmsg ? (records - sent < BATCH ? records - sent : BATCH) : 1;
        for (i = 0; i < n; i++) {
            /* The record's text, NUL included, as the legacy format sends it. */
            int len = snprintf(text[i], SIZE, "<14>" BENCH_MESSAGE, (int)(sent + i)) + 1;
            iov[i].iov_base = text[i];
            iov[i].iov_len = (size_t)len;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        if (mmsg) {
            long done = 0;
            while (done < n) {
                int r = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);
                if (r < 0) {
                    perror("sendmmsg");
                    return 1;
                }
                done += r;
            }
        } else if (send(fd, iov[0].iov_base, iov[0].iov_len, 0) < 0) {
            perror("send");
            return 1;
        }
        sent += n;
    }
    seconds = bench_now() - start;
    getrusage(RUSAGE_SELF, &ru);
    bench_report(seconds);
    printf("user_us=%.3f sys_us=%.3f\n", micros(ru.ru_utime) / (double)records,
           micros(ru.ru_stime) / (double)records);
    close(fd);
    return 0;
}
