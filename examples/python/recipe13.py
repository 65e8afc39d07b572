# CPython run of cookbook recipe 13 (owned_file_handler), writing into
# argv[1]; then the file's owner and mode as stat reports them.
import grp
import logging
import logging.config
import os
import pwd
import shutil
import sys


def owned_file_handler(filename, mode="a", encoding=None, owner=None):
    if owner:
        if not os.path.exists(filename):
            open(filename, "a").close()
        shutil.chown(filename, *owner)
    return logging.FileHandler(filename, mode, encoding)


logging.config.dictConfig({
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"default": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"file": {"()": "ext://__main__.owned_file_handler", "level": "DEBUG",
                          "formatter": "default", "owner": ["nobody", "nogroup"],
                          "filename": sys.argv[1] + "/chowntest.log", "mode": "w",
                          "encoding": "utf-8"}},
    "root": {"handlers": ["file"], "level": "DEBUG"}})
logging.getLogger("mylogger").debug("A debug message")
st = os.stat(sys.argv[1] + "/chowntest.log")
print("chowntest.log owner %s:%s mode %o" % (pwd.getpwuid(st.st_uid).pw_name,
                                             grp.getgrgid(st.st_gid).gr_name,
                                             st.st_mode & 0o7777))
