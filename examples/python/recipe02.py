# Cookbook recipe 2 (logging from two threads) run by CPython, with the
# KeyboardInterrupt loop replaced by fixed numbers of rounds so that it ends
# (the order of the two threads' lines depends on timing: compare them sorted).
import logging
import threading
import time


def worker(arg):
    for _ in range(5):
        logging.debug('Hi from myfunc')
        time.sleep(0.05)


def main():
    logging.basicConfig(level=logging.DEBUG, format='%(relativeCreated)6d %(threadName)s %(message)s')
    info = {}
    thread = threading.Thread(target=worker, args=(info,))
    thread.start()
    for _ in range(4):
        logging.debug('Hello from main')
        time.sleep(0.075)
    thread.join()


if __name__ == '__main__':
    main()
